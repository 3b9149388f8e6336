import type { AppDeps, WorkerRegistrar } from "../deps";
import {
  finishEvaluation,
  getEvaluation,
  resumableEvaluationIds,
  TERMINAL_STATUSES,
  type EvaluationRow,
} from "../db/queries/evaluations";
import {
  acquireEvaluationLease,
  claimLapsedEvaluations,
  clearEvaluationLeases,
  releaseEvaluationLease,
  renewEvaluationLease,
  unleasedEvaluationIds,
} from "../db/queries/evaluation-leases";
import type { Db } from "../db/client";
import { keepLease } from "../jobs/lease";
import { startLeaseWatch, sweep, type LeasedWork } from "../jobs/lease-watch";
import { requireJobs, type JobQueue, type QueueOptions } from "../jobs/queue";
import type { Logger } from "../lib/logger";
import { ApiError } from "../lib/errors";
import { runEvaluation } from "./runner";

export const EVALUATION_QUEUE = "evaluation-run";
export const EVALUATION_SWEEP_QUEUE = "evaluation-sweep";

// As the training queue (src/training/service.ts): one job per evaluation and state, no pg-boss
// retries (the lease watch and the sweeper resume lost work), heartbeat as a backstop; the long
// expiry only bounds a run that is alive but stuck.
const QUEUE_OPTIONS: QueueOptions = {
  policy: "stately",
  heartbeatSeconds: 30,
  retryLimit: 0,
  expireInSeconds: 12 * 3600,
};

/** Standalone evaluations as the lease watch and the sweeper see them. */
export function leasedEvaluations(db: Db, jobs: JobQueue): LeasedWork {
  return {
    queue: EVALUATION_QUEUE,
    claimLapsed: () => claimLapsedEvaluations(db),
    unleased: () => unleasedEvaluationIds(db),
    resend: (id) => sendEvaluation(jobs, id),
  };
}

/** Starts the background runner for evaluations (listed in REGISTRARS, src/runtime/workers.ts). */
export const registerEvaluationWorker: WorkerRegistrar = async (deps) => {
  const db = deps.database.db;
  const jobs = deps.jobs;
  const workerId = `worker-${crypto.randomUUID()}`;
  const log = deps.logger.child({ component: "evaluation" });
  await jobs.ensureQueue(EVALUATION_QUEUE, QUEUE_OPTIONS);
  // PGlite: one process owns the data folder, so leases left by a killed process are dead.
  if (deps.database.kind === "pglite") await clearEvaluationLeases(db);
  // One run per evaluation per process: a redelivered job for a run still going here is a no-op.
  const running = new Set<string>();
  await jobs.work<{ evaluation_id: string }>(
    EVALUATION_QUEUE,
    async (data, job) => {
      const id = data.evaluation_id;
      if (typeof id !== "string" || running.has(id)) return;
      running.add(id);
      try {
        await runLeased(deps, jobs, id, workerId, job.signal, log);
      } finally {
        running.delete(id);
      }
    },
    { localConcurrency: 2 },
  );
  // A process that stopped mid-evaluation (or before its job was delivered) leaves it queued or
  // running: send it again now (a no-op where a job already waits); the lease decides who works it.
  for (const id of await resumableEvaluationIds(db)) await sendEvaluation(jobs, id);

  const work = leasedEvaluations(db, jobs);
  // PGlite is one process (its data-folder lock): no other instance to take over from, and a
  // lease that lapses there only means a stalled event loop, not a dead holder.
  if (deps.database.kind !== "pglite") {
    startLeaseWatch({ jobs, works: [work], intervalMs: deps.config.leases.watchMs, logger: log, signal: jobs.stopping });
  }
  await jobs.ensureQueue(EVALUATION_SWEEP_QUEUE, { retryLimit: 0 });
  await jobs.work(EVALUATION_SWEEP_QUEUE, async () => {
    const r = await sweep(jobs, work, log);
    if (r.tookOver > 0) log.info(r, "evaluation sweep");
  }, { pollingIntervalSeconds: 5 }); // a job a minute: no need to poll often
  await jobs.schedule(EVALUATION_SWEEP_QUEUE, deps.config.leases.sweepCron);
};

/**
 * Works an evaluation while holding its lease: nothing when another instance holds a live one
 * (the lease watch hands it on if that instance dies). A lost lease aborts the run where it is;
 * a shutdown stops it between units, releases the lease and sends the rest to another instance.
 */
async function runLeased(deps: AppDeps, jobs: JobQueue, id: string, workerId: string, shutdown: AbortSignal, log: Logger): Promise<void> {
  const db = deps.database.db;
  const timing = { ms: deps.config.leases.ms, renewMs: deps.config.leases.renewMs };
  if (!(await acquireEvaluationLease(db, id, workerId, timing.ms))) return;
  log.info({ evaluation_id: id, worker: workerId }, "working evaluation");
  const lost = new AbortController();
  const keeper = keepLease({
    renew: () => renewEvaluationLease(db, id, workerId, timing.ms),
    timing,
    logger: log,
    onLost: (why) => {
      log.warn({ evaluation_id: id, why }, "evaluation lease lost: stopping here");
      lost.abort(new Error(`evaluation lease ${why}`));
    },
  });
  let row: EvaluationRow;
  try {
    row = await runEvaluation(deps, id, { signal: lost.signal, shouldStop: () => shutdown.aborted });
  } finally {
    keeper.stop();
    await releaseEvaluationLease(db, id, workerId).catch(() => undefined);
  }
  if (!TERMINAL_STATUSES.includes(row.status) && shutdown.aborted && !lost.signal.aborted) {
    await sendEvaluation(jobs, id);
    log.info({ evaluation_id: id, done: row.progressDone }, "shutting down: evaluation handed back");
  }
}

/** Hands a created evaluation to the background runner. 503 where no runner exists. */
export async function enqueueEvaluation(deps: Pick<AppDeps, "jobs">, id: string): Promise<void> {
  await sendEvaluation(requireJobs(deps.jobs), id);
}

async function sendEvaluation(jobs: JobQueue, id: string): Promise<void> {
  await jobs.ensureQueue(EVALUATION_QUEUE, QUEUE_OPTIONS);
  await jobs.send(EVALUATION_QUEUE, { evaluation_id: id }, { singletonKey: id });
}

/** Cancels a queued or running evaluation; 404 unknown, 409 already ended. The runner stops within its poll interval. */
export async function cancelEvaluation(deps: Pick<AppDeps, "database">, id: string): Promise<EvaluationRow> {
  const db = deps.database.db;
  const row = await finishEvaluation(db, id, { status: "canceled" });
  if (row) return row;
  const existing = await getEvaluation(db, id);
  if (!existing) throw new ApiError("not_found", `no evaluation ${id}`);
  throw new ApiError("conflict", `evaluation ${id} has already ended (${existing.status})`);
}

/**
 * Polls until the evaluation ends (or `timeoutMs` passes, then returns the row as it is).
 * For callers that enqueued instead of running inline.
 */
export async function waitForEvaluation(
  deps: Pick<AppDeps, "database">,
  id: string,
  opts: { timeoutMs: number; pollMs?: number; signal?: AbortSignal },
): Promise<EvaluationRow> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const row = await getEvaluation(deps.database.db, id);
    if (!row) throw new ApiError("not_found", `no evaluation ${id}`);
    if (TERMINAL_STATUSES.includes(row.status) || Date.now() >= deadline || opts.signal?.aborted) return row;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}
