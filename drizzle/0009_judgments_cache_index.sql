DROP INDEX "judgments_request_hash_idx";--> statement-breakpoint
CREATE INDEX "judgments_cache_idx" ON "judgments" USING btree ("request_hash","evaluator_id","version_id","created_at");