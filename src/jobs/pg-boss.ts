import type { Database } from "../db/client";
import type { Logger } from "../lib/logger";
import type { JobQueue } from "./queue";
import { errorForLog } from "../db/errors";

/** pg-boss on the same database as the app: PostgreSQL through its own pool, PGlite through its adapter. */
export async function createPgBossQueue(database: Database, logger: Logger): Promise<JobQueue> {
  const { PgBoss, fromPglite } = await import("pg-boss");
  const boss =
    database.kind === "pglite"
      ? new PgBoss({ db: fromPglite(database.pglite!), backend: "pglite", schema: "pgboss" } as never)
      : new PgBoss({ connectionString: database.connectionString!, schema: "pgboss", max: 4 } as never);
  boss.on("error", (err: unknown) => logger.error({ err: errorForLog(err) }, "job queue error"));
  await boss.start();
  const declared = new Set<string>();
  // Aborted when stop() begins, so handlers checkpoint and hand their work back at once instead of
  // holding the graceful stop until their slice ends.
  const stopping = new AbortController();

  return {
    stopping: stopping.signal,
    async ensureQueue(name, opts = {}) {
      if (declared.has(name)) return;
      const existing = await boss.getQueue(name);
      if (!existing) {
        // pg-boss validates what it is given: an option set to undefined is not "unset" to it.
        const options = definedOnly({
          policy: opts.policy,
          heartbeatSeconds: opts.heartbeatSeconds,
          retryLimit: opts.retryLimit ?? 5,
          retryDelay: opts.retryDelaySeconds ?? 1,
          expireInSeconds: opts.expireInSeconds,
        });
        await boss.createQueue(name, options as never);
      }
      declared.add(name);
    },
    async failActive(name, singletonKey) {
      const jobs = await boss.findJobs(name, { key: singletonKey });
      const active = jobs.filter((j) => j.state === "active").map((j) => j.id);
      if (active.length === 0) return 0;
      await boss.fail(name, active, { message: "lease lapsed: the worker holding this job is gone" });
      return active.length;
    },
    async send(name, data, opts = {}) {
      return boss.send(name, data, definedOnly({ singletonKey: opts.singletonKey, startAfter: opts.startAfterSeconds }) as never);
    },
    async work(name, handler, opts = {}) {
      await boss.work(
        name,
        { localConcurrency: opts.localConcurrency ?? 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5, batchSize: 1 } as never,
        (async (jobs: Array<{ id: string; data: unknown }>) => {
          for (const job of jobs) await handler(job.data as never, { id: job.id, signal: stopping.signal });
        }) as never,
      );
    },
    async schedule(name, cron, data) {
      await boss.schedule(name, cron, data ?? null);
    },
    async depth() {
      const queues = await boss.getQueues();
      return queues.map((q) => ({ queue: q.name, queued: q.queuedCount, active: q.activeCount }));
    },
    async stop() {
      stopping.abort(new Error("instance shutting down"));
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
