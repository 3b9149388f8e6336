import type { AppDeps } from "../deps";
import { listEvaluators } from "../db/queries/evaluators";
import { countPoolSince, lastRun, ACTIVE_STATUSES } from "../db/queries/training";
import { ApiError } from "../lib/errors";
import { startTrainingRun } from "./service";

/**
 * The scheduled check: every evaluator whose pool gained at least TRAINING_SCHEDULE_MIN_NEW
 * instructions since its last run started (and that has no run in progress) gets a new run with
 * default parameters. Returns the ids of the runs it started.
 */
export async function startScheduledRuns(deps: Pick<AppDeps, "database" | "config" | "jobs" | "logger">): Promise<string[]> {
  const min = deps.config.training.scheduleMinNew;
  if (min <= 0) return [];
  const db = deps.database.db;
  const started: string[] = [];
  for (const evaluator of await listEvaluators(db)) {
    const last = await lastRun(db, evaluator.id);
    if (last && ACTIVE_STATUSES.includes(last.status)) continue;
    const fresh = await countPoolSince(db, evaluator.id, last?.poolSeqAtStart ?? 0);
    if (fresh < min) continue;
    try {
      const run = await startTrainingRun(deps, { evaluatorId: evaluator.id, params: {}, trigger: "schedule" });
      deps.logger.info({ evaluator: evaluator.name, run: run.id, new_instructions: fresh }, "scheduled training run started");
      started.push(run.id);
    } catch (err) {
      // At capacity: the next tick tries again.
      if (err instanceof ApiError && err.code === "conflict") break;
      throw err;
    }
  }
  return started;
}
