CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluator_id" uuid,
	"action" text NOT NULL,
	"from_version_id" uuid,
	"to_version_id" uuid,
	"actor" text,
	"reason" text,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"criteria" text NOT NULL,
	"seed_model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluators_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "judgments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"instruction" text NOT NULL,
	"response_a" text NOT NULL,
	"response_b" text NOT NULL,
	"reference" text,
	"samples" integer NOT NULL,
	"swap" boolean NOT NULL,
	"temperature" real,
	"metadata" jsonb,
	"status" text NOT NULL,
	"verdict" text,
	"confidence" real,
	"position_consistent" boolean,
	"reasoning" text,
	"votes" jsonb,
	"raw_outputs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"usage" jsonb NOT NULL,
	"latency_ms" integer NOT NULL,
	"error" text,
	"api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"model" text NOT NULL,
	"base_url" text,
	"prompt_template" text NOT NULL,
	"few_shot" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'candidate' NOT NULL,
	"notes" text,
	"training_run_id" uuid,
	"iteration" integer,
	"metrics" jsonb,
	"gate_decision" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evaluation_items" (
	"evaluation_id" uuid NOT NULL,
	"heldout_item_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"verdict" text,
	"correct" boolean,
	"consistent_correct" boolean,
	"invalid_votes" integer DEFAULT 0 NOT NULL,
	"total_votes" integer DEFAULT 0 NOT NULL,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_items_evaluation_id_heldout_item_id_version_id_pk" PRIMARY KEY("evaluation_id","heldout_item_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"candidate_version_id" uuid NOT NULL,
	"baseline_version_id" uuid,
	"filter" jsonb,
	"samples" integer DEFAULT 1 NOT NULL,
	"swap" boolean DEFAULT true NOT NULL,
	"promote" boolean DEFAULT false NOT NULL,
	"gate" jsonb,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"error" text,
	"training_run_id" uuid,
	"actor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "heldout_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"instruction" text NOT NULL,
	"response_a" text NOT NULL,
	"response_b" text NOT NULL,
	"label" text NOT NULL,
	"source" text NOT NULL,
	"category" text,
	"content_hash" text NOT NULL,
	"judgment_id" uuid,
	"training_run_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "traffic" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "traffic_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"evaluator_id" uuid NOT NULL,
	"instruction" text NOT NULL,
	"response" text,
	"metadata" jsonb,
	"source" text NOT NULL,
	"hash" text NOT NULL,
	"category" text,
	"split" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_examples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"iteration" integer NOT NULL,
	"pair_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"order" text NOT NULL,
	"label" text NOT NULL,
	"prompt" jsonb NOT NULL,
	"chosen_judgment" text NOT NULL,
	"rejected_judgment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_judgments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"iteration" integer NOT NULL,
	"pair_id" uuid NOT NULL,
	"sample_index" integer NOT NULL,
	"order" text NOT NULL,
	"text" text NOT NULL,
	"vote" text NOT NULL,
	"picks_chosen" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_pairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"traffic_id" uuid NOT NULL,
	"split" text NOT NULL,
	"category" text,
	"instruction" text NOT NULL,
	"status" text NOT NULL,
	"chosen" text,
	"modified_instruction" text,
	"rejected" text,
	"raw_synthesis" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"params" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"current_step" text,
	"iteration" integer DEFAULT 0 NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"counters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"usage" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"iterations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"trigger" text DEFAULT 'api' NOT NULL,
	"pool_seq_at_start" bigint,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_version_id_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "versions" ADD CONSTRAINT "versions_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_items" ADD CONSTRAINT "evaluation_items_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_items" ADD CONSTRAINT "evaluation_items_heldout_item_id_heldout_items_id_fk" FOREIGN KEY ("heldout_item_id") REFERENCES "public"."heldout_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_items" ADD CONSTRAINT "evaluation_items_version_id_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_candidate_version_id_versions_id_fk" FOREIGN KEY ("candidate_version_id") REFERENCES "public"."versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_baseline_version_id_versions_id_fk" FOREIGN KEY ("baseline_version_id") REFERENCES "public"."versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heldout_items" ADD CONSTRAINT "heldout_items_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heldout_items" ADD CONSTRAINT "heldout_items_judgment_id_judgments_id_fk" FOREIGN KEY ("judgment_id") REFERENCES "public"."judgments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "traffic" ADD CONSTRAINT "traffic_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_examples" ADD CONSTRAINT "training_examples_run_id_training_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."training_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_examples" ADD CONSTRAINT "training_examples_pair_id_training_pairs_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."training_pairs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_judgments" ADD CONSTRAINT "training_judgments_run_id_training_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."training_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_judgments" ADD CONSTRAINT "training_judgments_pair_id_training_pairs_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."training_pairs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_pairs" ADD CONSTRAINT "training_pairs_run_id_training_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."training_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_pairs" ADD CONSTRAINT "training_pairs_traffic_id_traffic_id_fk" FOREIGN KEY ("traffic_id") REFERENCES "public"."traffic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_evaluator_created_idx" ON "audit_events" USING btree ("evaluator_id","created_at");--> statement-breakpoint
CREATE INDEX "judgments_evaluator_created_idx" ON "judgments" USING btree ("evaluator_id","created_at");--> statement-breakpoint
CREATE INDEX "judgments_request_hash_idx" ON "judgments" USING btree ("request_hash");--> statement-breakpoint
CREATE INDEX "judgments_version_idx" ON "judgments" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "versions_evaluator_number_uq" ON "versions" USING btree ("evaluator_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "versions_evaluator_name_uq" ON "versions" USING btree ("evaluator_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "versions_one_active_uq" ON "versions" USING btree ("evaluator_id") WHERE "versions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "evaluations_evaluator_created_idx" ON "evaluations" USING btree ("evaluator_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "heldout_evaluator_hash_uq" ON "heldout_items" USING btree ("evaluator_id","content_hash");--> statement-breakpoint
CREATE INDEX "heldout_evaluator_created_idx" ON "heldout_items" USING btree ("evaluator_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "traffic_evaluator_hash_uq" ON "traffic" USING btree ("evaluator_id","hash");--> statement-breakpoint
CREATE INDEX "traffic_evaluator_seq_idx" ON "traffic" USING btree ("evaluator_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "training_examples_uq" ON "training_examples" USING btree ("run_id","iteration","pair_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "training_judgments_uq" ON "training_judgments" USING btree ("run_id","iteration","pair_id","sample_index");--> statement-breakpoint
CREATE UNIQUE INDEX "training_pairs_run_traffic_uq" ON "training_pairs" USING btree ("run_id","traffic_id");--> statement-breakpoint
CREATE INDEX "training_runs_evaluator_created_idx" ON "training_runs" USING btree ("evaluator_id","created_at");