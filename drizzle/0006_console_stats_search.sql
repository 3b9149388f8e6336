CREATE TABLE "judge_daily_stats" (
	"evaluator_id" uuid NOT NULL,
	"day" date NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"cache_hits" integer DEFAULT 0 NOT NULL,
	"judgments" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"llm_requests" integer DEFAULT 0 NOT NULL,
	"votes" integer DEFAULT 0 NOT NULL,
	"invalid_votes" integer DEFAULT 0 NOT NULL,
	"latency_ms_sum" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "judge_daily_stats_evaluator_id_day_pk" PRIMARY KEY("evaluator_id","day")
);
--> statement-breakpoint
ALTER TABLE "judge_daily_stats" ADD CONSTRAINT "judge_daily_stats_evaluator_id_evaluators_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."evaluators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "judge_daily_stats_day_idx" ON "judge_daily_stats" USING btree ("day");--> statement-breakpoint
CREATE INDEX "judgments_instruction_fts_idx" ON "judgments" USING gin (to_tsvector('simple', "instruction"));--> statement-breakpoint
-- Appended to the generated console_stats_search migration: judgments stored before the table existed.
-- (Cache hits were never recorded before, so they start at 0.)
INSERT INTO "judge_daily_stats" ("evaluator_id", "day", "requests", "cache_hits", "judgments", "failed", "prompt_tokens", "completion_tokens", "llm_requests", "votes", "invalid_votes", "latency_ms_sum")
SELECT "evaluator_id", ("created_at" AT TIME ZONE 'UTC')::date, count(*), 0, count(*),
  count(*) FILTER (WHERE "status" = 'failed'),
  coalesce(sum(("usage"->>'prompt_tokens')::bigint), 0),
  coalesce(sum(("usage"->>'completion_tokens')::bigint), 0),
  coalesce(sum(("usage"->>'llm_requests')::int), 0),
  coalesce(sum(coalesce(("votes"->>'A')::int, 0) + coalesce(("votes"->>'B')::int, 0) + coalesce(("votes"->>'tie')::int, 0) + coalesce(("votes"->>'invalid')::int, 0)), 0),
  coalesce(sum(coalesce(("votes"->>'invalid')::int, 0)), 0),
  coalesce(sum("latency_ms"), 0)
FROM "judgments"
GROUP BY 1, 2;
