import type { AppDeps, WorkerRegistrar } from "../deps";
import {
  finishEvaluation,
  getEvaluation,
  resumableEvaluationIds,
  TERMINAL_STATUSES,
  type EvaluationRow,
} from "../db/queries/evaluations";
import { requireJobs, type JobQueue, type QueueOptions } from "../jobs/queue";
import { ApiError } from "../lib/errors";
import { runEvaluation } from "./runner";

export const EVALUATION_QUEUE = "evaluation-run";

// The heartbeat hands a job whose process died to another worker after ~30 s, which resumes it
// from its stored units; the long expiry only bounds a run that is alive but stuck.
const QUEUE_OPTIONS: QueueOptions = {
  heartbeatSeconds: 30,
  retryLimit: 5,
  retryDelaySeconds: 5,
  expireInSeconds: 12 * 3600,
};

/** Starts the background runner for evaluations (listed in REGISTRARS, src/runtime/workers.ts). */
export const registerEvaluationWorker: WorkerRegistrar = async (deps) => {
  await deps.jobs.ensureQueue(EVALUATION_QUEUE, QUEUE_OPTIONS);
  // One run per evaluation per process: a redelivered job for a run still going here is a no-op.
  const running = new Set<string>();
  await deps.jobs.work<{ evaluation_id: string }>(
    EVALUATION_QUEUE,
    async (data) => {
      const id = data.evaluation_id;
      if (typeof id !== "string" || running.has(id)) return;
      running.add(id);
      try {
        await runEvaluation(deps, id);
      } finally {
        running.delete(id);
      }
    },
    { localConcurrency: 2 },
  );
  // A process that stopped mid-evaluation (or before its job was delivered) leaves it queued or
  // running: hand it to a worker now rather than waiting for pg-boss to notice the missing
  // heartbeat. A job sent for a run that is already going is a no-op (see above and runEvaluation).
  for (const id of await resumableEvaluationIds(deps.database.db)) await sendEvaluation(deps.jobs, id);
};

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
