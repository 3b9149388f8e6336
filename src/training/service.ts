import type { AppDeps } from "../deps";
import { requireJobs, type JobQueue, type QueueOptions } from "../jobs/queue";
import { insertRunWithinCapacity, transitionRun, type TrainingRunRow } from "../db/queries/training";
import { ApiError } from "../lib/errors";
import { completeParams, RunParamsSchema, type RunParamsInput } from "./params";

export const TRAINING_QUEUE = "training.run";
export const TRAINING_SCHEDULE_QUEUE = "training.schedule";

export const TRAINING_SWEEP_QUEUE = "training.sweep";

// One job per run and state (stately, keyed by the run id): a run is never worked by two jobs at
// once, and the "continue" a slice sends while its job is active waits for that job to end.
// No pg-boss retries: a lapsed lease is taken over by the lease watch within seconds, an orphan
// re-sent by the sweeper. The heartbeat stays as pg-boss's own backstop; the hour-long expiry only
// bounds a stuck handler, since a handler works in slices of a few minutes and then re-enqueues.
export const TRAINING_QUEUE_OPTIONS: QueueOptions = {
  policy: "stately",
  heartbeatSeconds: 10,
  retryLimit: 0,
  expireInSeconds: 3600,
};

/** Sends "continue run X"; the job carries nothing else, the run's state is in our tables. */
export async function enqueueRun(jobs: JobQueue, runId: string, delaySeconds = 0): Promise<void> {
  await jobs.ensureQueue(TRAINING_QUEUE, TRAINING_QUEUE_OPTIONS);
  await jobs.send(
    TRAINING_QUEUE,
    { runId },
    { singletonKey: runId, ...(delaySeconds > 0 ? { startAfterSeconds: Math.ceil(delaySeconds) } : {}) },
  );
}

/**
 * Creates a queued run with complete, normalised params and hands it to the job runner.
 * 409 when config.training.maxConcurrentRuns runs of this evaluator are already active; 503
 * without a job runner.
 */
export async function startTrainingRun(
  deps: Pick<AppDeps, "database" | "config" | "jobs">,
  a: { evaluatorId: string; params: RunParamsInput; trigger: "api" | "schedule" },
): Promise<TrainingRunRow> {
  const jobs = requireJobs(deps.jobs);
  const parsed = RunParamsSchema.parse(a.params);
  const params = completeParams(parsed, {
    generatorModel: deps.config.generatorModel,
    randomSeed: () => Math.floor(Math.random() * 2 ** 31),
  });
  const max = deps.config.training.maxConcurrentRuns;
  const row = await insertRunWithinCapacity(
    deps.database.db,
    { evaluatorId: a.evaluatorId, params: params as unknown as Record<string, unknown>, trigger: a.trigger },
    max,
  );
  if (!row) {
    throw new ApiError(
      "conflict",
      `${max} training run${max === 1 ? " is" : "s are"} already in progress for this evaluator (TRAINING_MAX_CONCURRENT_RUNS=${max}); wait for it or cancel it`,
    );
  }
  await enqueueRun(jobs, row.id);
  return row;
}

/**
 * Call after registering a version that names a training run (POST /v1/versions with
 * training_run_id): a run waiting for its externally trained model goes on with it as the
 * candidate. Does nothing for a run that is not waiting (it will find the version when it
 * reaches its train step).
 */
export async function onExternalModelRegistered(
  deps: Pick<AppDeps, "database" | "jobs" | "clock">,
  runId: string,
  _versionId: string,
): Promise<boolean> {
  const resumed = await transitionRun(deps.database.db, runId, ["waiting_external"], "queued", deps.clock.now());
  if (resumed && deps.jobs) await enqueueRun(deps.jobs, runId);
  return resumed;
}
