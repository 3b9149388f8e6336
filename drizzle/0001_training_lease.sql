ALTER TABLE "training_runs" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "training_runs" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "training_pairs_traffic_idx" ON "training_pairs" USING btree ("traffic_id");--> statement-breakpoint
CREATE INDEX "training_runs_status_idx" ON "training_runs" USING btree ("status");