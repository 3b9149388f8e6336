ALTER TABLE "evaluations" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "lease_until" timestamp with time zone;
--> statement-breakpoint
-- Appended to the generated migration (issue 14): the background queues admit one job per run or
-- evaluation and state (pg-boss `stately` policy keyed by singletonKey: one waiting, one active),
-- and pg-boss no longer retries on its own: a lapsed lease is taken over by the lease watch and an
-- orphan re-sent by the sweeper, which a retry queued behind a dead job would only delay.
-- pg-boss cannot change a queue's policy through its API, so the queue rows change here. Waiting
-- and active jobs of the two queues are dropped: a job is only a "continue X" signal, every
-- instance re-sends what is queued or running when it starts, and the sweeper re-sends the rest.
-- Guarded: on a fresh database pg-boss installs its schema after these migrations, and its
-- createQueue then uses the new policy directly.
DO $$
BEGIN
  IF to_regclass('pgboss.queue') IS NOT NULL THEN
    DELETE FROM pgboss.job WHERE name IN ('training.run', 'evaluation-run') AND state < 'completed';
    UPDATE pgboss.queue SET policy = 'stately', retry_limit = 0 WHERE name IN ('training.run', 'evaluation-run');
  END IF;
END $$;
