import { clearAllLeases, resumableRunIds } from "../db/queries/training";
import { claimLapsedRuns, unleasedRunIds } from "../db/queries/training-leases";
import type { WorkerRegistrar } from "../deps";
import { startLeaseWatch, sweep, type LeasedWork } from "../jobs/lease-watch";
import type { JobQueue } from "../jobs/queue";
import type { Db } from "../db/client";
import type { TrainingDeps } from "./deps";
import { createTrainingDeps } from "./production-deps";
import { runTraining } from "./runner";
import { startScheduledRuns } from "./schedule";
import { enqueueRun, TRAINING_QUEUE, TRAINING_QUEUE_OPTIONS, TRAINING_SCHEDULE_QUEUE, TRAINING_SWEEP_QUEUE } from "./service";

/** Training runs as the lease watch and the sweeper see them. */
export function leasedRuns(db: Db, jobs: JobQueue): LeasedWork {
  return {
    queue: TRAINING_QUEUE,
    claimLapsed: () => claimLapsedRuns(db),
    unleased: () => unleasedRunIds(db),
    resend: (id) => enqueueRun(jobs, id),
  };
}

/**
 * Registers the training job handler (and the schedule when enabled), the lease watch and the
 * orphan sweeper. `overrides` lets a test swap parts of the production deps (e.g. faster timing).
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
      async (data, job) => {
        const runId = data.runId;
        if (typeof runId !== "string" || here.has(runId)) return;
        here.add(runId);
        try {
          const outcome = await runTraining(tdeps, runId, { shutdown: job.signal });
          // "busy": another instance holds the lease; if it dies, the lease watch hands the run on.
          // "continue" (a slice ended, a shutdown, a fine-tuning job to poll): the lease is released
          // by now, and the stately queue starts the next job once this one returns.
          if (outcome.kind === "continue") await enqueueRun(jobs, runId, outcome.delaySeconds);
        } finally {
          here.delete(runId);
        }
      },
      // Runs are cut into slices and re-enqueued, so a few slots time-share any number of runs
      // (several evaluators may train at once) without one long run starving the others.
      { localConcurrency: Math.max(4, deps.config.training.maxConcurrentRuns + 1) },
    );

    // A process killed mid-run leaves the run queued or running: send it again now (a no-op where
    // a job already waits); the lease decides who works it.
    for (const id of await resumableRunIds(tdeps.db)) await enqueueRun(jobs, id);

    const work = leasedRuns(tdeps.db, jobs);
    // PGlite is one process (its data-folder lock): no other instance to take over from, and a
    // lease that lapses there only means a stalled event loop, not a dead holder.
    if (deps.database.kind !== "pglite") {
      startLeaseWatch({ jobs, works: [work], intervalMs: deps.config.leases.watchMs, logger: tdeps.logger, signal: jobs.stopping });
    }
    await jobs.ensureQueue(TRAINING_SWEEP_QUEUE, { retryLimit: 0 });
    await jobs.work(TRAINING_SWEEP_QUEUE, async () => {
      const r = await sweep(jobs, work, tdeps.logger);
      if (r.tookOver > 0) tdeps.logger.info(r, "training sweep");
    }, { pollingIntervalSeconds: 5 }); // a job a minute: no need to poll often
    // A schedule: pg-boss sends one job per tick for the whole fleet, so one instance sweeps.
    await jobs.schedule(TRAINING_SWEEP_QUEUE, deps.config.leases.sweepCron);

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
