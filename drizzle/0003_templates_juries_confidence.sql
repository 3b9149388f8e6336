ALTER TABLE "judgments" ADD COLUMN "confidence_source" text;--> statement-breakpoint
ALTER TABLE "judgments" ADD COLUMN "member_votes" jsonb;--> statement-breakpoint
ALTER TABLE "versions" ADD COLUMN "template" text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE "versions" ADD COLUMN "members" jsonb;