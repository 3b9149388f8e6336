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

  return {
    async ensureQueue(name, opts = {}) {
      if (declared.has(name)) return;
      const existing = await boss.getQueue(name);
      if (!existing) {
        await boss.createQueue(name, {
          heartbeatSeconds: opts.heartbeatSeconds,
          retryLimit: opts.retryLimit ?? 5,
          retryDelay: opts.retryDelaySeconds ?? 1,
          expireInSeconds: opts.expireInSeconds,
        } as never);
      }
      declared.add(name);
    },
    async send(name, data, opts = {}) {
      return boss.send(name, data, {
        singletonKey: opts.singletonKey,
        startAfter: opts.startAfterSeconds,
      } as never);
    },
    async work(name, handler, opts = {}) {
      await boss.work(
        name,
        { localConcurrency: opts.localConcurrency ?? 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5, batchSize: 1 } as never,
        (async (jobs: Array<{ id: string; data: unknown }>) => {
          for (const job of jobs) await handler(job.data as never, { id: job.id });
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
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
