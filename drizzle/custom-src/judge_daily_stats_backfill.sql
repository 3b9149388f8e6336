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
