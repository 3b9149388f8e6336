import { resumableEvaluationIds } from "../db/queries/evaluations";
import { resumableRunIds } from "../db/queries/training";
import type { JobDeps } from "../deps";
import { enqueueEvaluation } from "../evaluation/worker";
import { startScheduledRuns } from "../training/schedule";
import { enqueueRun } from "../training/service";

export interface CronReport {
  /** Training runs the schedule started (TRAINING_SCHEDULE_MIN_NEW). */
  started: string[];
  /** Active runs and evaluations handed (again) to their Workflow instance. */
  swept: { training: number; evaluations: number };
}

/**
 * The Cron Trigger's tick on Workers: the same scheduled check as the Node server's
 * TRAINING_SCHEDULE_MIN_NEW job, then a sweep: every queued or running training run and
 * evaluation is sent to its Workflow again. An instance that is alive ignores it (the instance
 * id is the run's id); one that died (errored after its retries, terminated, or ended its slice
 * allowance) is restarted and continues from the run's stored state.
 */
export async function runCron(deps: JobDeps): Promise<CronReport> {
  const started = await startScheduledRuns(deps);
  const db = deps.database.db;
  const runs = await resumableRunIds(db);
  for (const id of runs) await enqueueRun(deps.jobs, id);
  const evaluations = await resumableEvaluationIds(db);
  for (const id of evaluations) await enqueueEvaluation(deps, id);
  return { started, swept: { training: runs.length, evaluations: evaluations.length } };
}
