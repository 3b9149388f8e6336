import { clearAllLeases, resumableRunIds } from "../db/queries/training";
import type { WorkerRegistrar } from "../deps";
import type { TrainingDeps } from "./deps";
import { createTrainingDeps } from "./production-deps";
import { runTraining } from "./runner";
import { startScheduledRuns } from "./schedule";
import { enqueueRun, TRAINING_QUEUE, TRAINING_QUEUE_OPTIONS, TRAINING_SCHEDULE_QUEUE } from "./service";

/**
 * Registers the training job handler (and the schedule when enabled). `overrides` lets a test
 * swap parts of the production deps (e.g. faster timing).
 */
export function trainingRegistrar(overrides: Partial<TrainingDeps> = {}): WorkerRegistrar {
  return async (deps) => {
    const tdeps = createTrainingDeps(deps, overrides);
    const jobs = deps.jobs;
    await jobs.ensureQueue(TRAINING_QUEUE, TRAINING_QUEUE_OPTIONS);
    // PGlite's data-folder lock means no other process can be running a run: leases left by a
    // killed process are dead, and waiting for them to lapse would only delay the resume.
    if (deps.database.kind === "pglite") await clearAllLeases(tdeps.db);

    const here = new Set<string>();
    await jobs.work<{ runId?: unknown }>(
      TRAINING_QUEUE,
      async (data) => {
        const runId = data.runId;
        if (typeof runId !== "string" || here.has(runId)) return;
        here.add(runId);
        try {
          const outcome = await runTraining(tdeps, runId);
          // Another process holds the lease; if it died the lease lapses, so look again then.
          if (outcome.kind === "busy") await enqueueRun(jobs, runId, tdeps.timing.leaseSeconds);
          if (outcome.kind === "continue") await enqueueRun(jobs, runId, outcome.delaySeconds);
        } finally {
          here.delete(runId);
        }
      },
      // Runs are cut into slices and re-enqueued, so a few slots time-share any number of runs
      // (several evaluators may train at once) without one long run starving the others.
      { localConcurrency: Math.max(4, deps.config.training.maxConcurrentRuns + 1) },
    );

    // A process killed mid-run leaves the run queued or running: resume it now rather than
    // waiting for pg-boss to notice the missing heartbeat.
    for (const id of await resumableRunIds(tdeps.db)) await enqueueRun(jobs, id);

    if (deps.config.training.scheduleMinNew > 0) {
      await jobs.ensureQueue(TRAINING_SCHEDULE_QUEUE, { retryLimit: 0 });
      await jobs.work(TRAINING_SCHEDULE_QUEUE, async () => {
        await startScheduledRuns(deps);
      });
      await jobs.schedule(TRAINING_SCHEDULE_QUEUE, deps.config.training.scheduleCron);
    }
  };
}

export const registerTrainingWorker: WorkerRegistrar = trainingRegistrar();
