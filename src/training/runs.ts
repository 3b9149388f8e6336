import type { AppDeps } from "../deps";
import { evaluationProgress } from "../db/queries/evaluations";
import { findEvaluatorById } from "../db/queries/evaluators";
import {
  getRun as getRunRow,
  listRuns as listRunRows,
  requestCancel,
  TERMINAL_STATUSES,
  type TrainingRunRow,
} from "../db/queries/training";
import { runCountsMany, type RunCounts } from "../db/queries/training-items";
import type { TrainingStatus } from "../db/schema";
import { resolveEvaluator } from "../evaluators/lookup";
import { ApiError } from "../lib/errors";
import type { PageCursor } from "../lib/page-cursor";
import { datasetLines, type DatasetFormat } from "./dataset";
import type { RunParamsInput } from "./params";
import { enqueueRun, startTrainingRun, TRAINING_QUEUE } from "./service";

// Training runs as the API shows and manages them (touches the database).

/** Everything a run's API body shows: the stored row plus counters read live from the item tables. */
export interface RunView {
  run: TrainingRunRow;
  evaluatorName: string;
  /** Counters of the run's items at its current iteration. */
  counts: RunCounts;
  /** Progress of the current iteration's evaluation, once it has one. */
  evaluation: { done: number; total: number } | null;
}

/** The iteration a run's counters and progress describe: the current one, 1 before it starts. */
export const shownIteration = (run: TrainingRunRow) => Math.max(1, run.iteration);

/** Views of many runs in a constant number of queries (grouped counts, one evaluation lookup). */
async function loadViews(db: AppDeps["database"]["db"], runs: TrainingRunRow[], evaluatorName: string): Promise<RunView[]> {
  const counts = await runCountsMany(db, runs.map((r) => ({ runId: r.id, iteration: shownIteration(r) })));
  const evaluationOf = (r: TrainingRunRow) => r.state.iters?.[String(shownIteration(r))]?.evaluation_id;
  const evalIds = runs.map(evaluationOf).filter((id): id is string => Boolean(id));
  const progress = await evaluationProgress(db, evalIds);
  return runs.map((run) => {
    const evaluationId = evaluationOf(run);
    return {
      run,
      evaluatorName,
      counts: counts.get(run.id)!,
      evaluation: (evaluationId && progress.get(evaluationId)) || null,
    };
  });
}

async function loadRun(db: AppDeps["database"]["db"], id: string): Promise<TrainingRunRow & { evaluatorName: string }> {
  const run = await getRunRow(db, id);
  if (!run) throw new ApiError("not_found", `no training run ${id}`);
  const evaluator = await findEvaluatorById(db, run.evaluatorId);
  return { ...run, evaluatorName: evaluator?.name ?? "?" };
}

async function viewOf(db: AppDeps["database"]["db"], run: TrainingRunRow, evaluatorName: string): Promise<RunView> {
  return (await loadViews(db, [run], evaluatorName))[0]!;
}

/** Starts a run for an evaluator (by name): 409 at capacity, 503 without a job runner. */
export async function createTrainingRun(
  deps: Pick<AppDeps, "database" | "config" | "jobs">,
  p: { evaluator?: string; params: RunParamsInput },
): Promise<RunView> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const run = await startTrainingRun(deps, { evaluatorId: evaluator.id, params: p.params, trigger: "api" });
  return viewOf(db, run, evaluator.name);
}

/** One page of an evaluator's runs, newest first. */
export async function listTrainingRuns(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string; status?: TrainingStatus; page: { limit: number; after?: PageCursor } },
): Promise<{ views: RunView[]; next: PageCursor | null }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const page = await listRunRows(db, evaluator.id, { ...p.page, ...(p.status ? { status: p.status } : {}) });
  return { views: await loadViews(db, page.rows, evaluator.name), next: page.next };
}

export async function getTrainingRun(deps: Pick<AppDeps, "database">, id: string): Promise<RunView> {
  const db = deps.database.db;
  const { evaluatorName, ...run } = await loadRun(db, id);
  return viewOf(db, run, evaluatorName);
}

/**
 * Asks a run to stop (the runner ends it within a heartbeat, cancelling its fine-tuning job and
 * evaluation); 404 unknown, 409 already ended. A run nobody is executing is canceled at once, and
 * where the scheduler can stop its work outright (a Workflow instance) it is stopped too.
 */
export async function cancelTrainingRun(deps: Pick<AppDeps, "database" | "clock" | "jobs">, id: string): Promise<RunView> {
  const db = deps.database.db;
  const { evaluatorName, ...run } = await loadRun(db, id);
  if (TERMINAL_STATUSES.includes(run.status)) throw new ApiError("conflict", `training run ${id} has already ended (${run.status})`);
  const updated = (await requestCancel(db, id, deps.clock.now())) ?? run;
  // Stopped in the database already; an instance left alive would only find the run ended.
  if (updated.status === "canceled") await deps.jobs?.cancel?.(TRAINING_QUEUE, id).catch(() => undefined);
  // Nobody holds it (an orphan whose job was lost, or a run between slices): send it a job, so the
  // next free runner of the fleet ends it now (its fine-tuning job, its evaluation) instead of at
  // the sweeper's next pass. A no-op where a job already waits (stately queue).
  else if (deps.jobs && !(updated.leaseUntil && updated.leaseUntil.getTime() > deps.clock.now().getTime())) {
    await enqueueRun(deps.jobs, id).catch(() => undefined);
  }
  return viewOf(db, updated, evaluatorName);
}

/**
 * An iteration's training data as JSONL lines (read a page at a time); default the current
 * iteration. 409 until the iteration's data is selected.
 */
export async function trainingRunDataset(
  deps: Pick<AppDeps, "database">,
  p: { id: string; iteration?: number; format: DatasetFormat },
): Promise<{ iteration: number; lines: AsyncGenerator<string> }> {
  const db = deps.database.db;
  const run = await getRunRow(db, p.id);
  if (!run) throw new ApiError("not_found", `no training run ${p.id}`);
  const iteration = p.iteration ?? shownIteration(run);
  const selected = run.state.iters?.[String(iteration)]?.selected === true;
  if (!selected) {
    throw new ApiError("conflict", `training run ${p.id} has no selected data for iteration ${iteration} yet (status ${run.status}, step ${run.currentStep ?? "none"})`);
  }
  return { iteration, lines: datasetLines(db, p.id, iteration, p.format) };
}
