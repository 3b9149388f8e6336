CREATE TABLE "dataset_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"subset" text NOT NULL,
	"external_id" text,
	"instruction" text NOT NULL,
	"dialogue" jsonb,
	"response_a" text NOT NULL,
	"response_b" text NOT NULL,
	"label" text NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"pair_hash" text NOT NULL,
	"content_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"name" text NOT NULL,
	"format" text NOT NULL,
	"status" text DEFAULT 'importing' NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	"item_count" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"subsets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_dataset_units" (
	"evaluation_id" uuid NOT NULL,
	"pair_hash" text NOT NULL,
	"version_id" uuid NOT NULL,
	"subset" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"verdict" text,
	"orders" jsonb,
	"invalid_votes" integer DEFAULT 0 NOT NULL,
	"total_votes" integer DEFAULT 0 NOT NULL,
	"detail" jsonb,
	CONSTRAINT "evaluation_dataset_units_evaluation_id_pair_hash_version_id_pk" PRIMARY KEY("evaluation_id","pair_hash","version_id")
);
--> statement-breakpoint
ALTER TABLE "judgments" ADD COLUMN "dialogue" jsonb;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "dataset_id" uuid;--> statement-breakpoint
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dataset_units" ADD CONSTRAINT "evaluation_dataset_units_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dataset_units" ADD CONSTRAINT "evaluation_dataset_units_version_id_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_items_content_uq" ON "dataset_items" USING btree ("dataset_id","content_hash");--> statement-breakpoint
CREATE INDEX "dataset_items_pair_idx" ON "dataset_items" USING btree ("dataset_id","pair_hash");--> statement-breakpoint
CREATE INDEX "dataset_items_seq_idx" ON "dataset_items" USING btree ("dataset_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_evaluator_name_uq" ON "datasets" USING btree ("evaluator_id","name");