import { shownIteration, type RunView } from "../../training/runs";
import type { TrainingRunBody } from "./training.schemas";

// Pure: a run's view in, the response body out (no database access; the domain loads counts).

/** A run as the API shows it: stored state plus counters read live from the item tables. */
export function presentRun({ run, evaluatorName, counts, evaluation }: RunView): TrainingRunBody {
  const iteration = shownIteration(run);
  const state = run.state;
  const progress: TrainingRunBody["progress"] = { ...run.progress };
  if (state.curated) {
    progress.synthesize = { done: counts.synthesized ?? 0, total: counts.pairs_total ?? 0 };
    progress.annotate = { done: counts.pairs_annotated ?? 0, total: counts.pairs_built ?? 0 };
  }
  if (evaluation) progress.evaluate = evaluation;
  const params = run.params as Record<string, unknown>;
  return {
    id: run.id,
    evaluator: evaluatorName,
    status: run.status,
    current_step: (run.currentStep as TrainingRunBody["current_step"]) ?? null,
    iteration: run.iteration,
    iterations_total: Number(params.iterations ?? 1),
    trigger: run.trigger,
    params,
    progress,
    counters: {
      ...(state.curate_stats ?? {}),
      ...counts,
      dropped_inconsistent: state.iters?.[String(iteration)]?.dropped_inconsistent ?? 0,
    },
    usage: Object.fromEntries(Object.entries(run.usage).map(([k, v]) => [k, Number(v)])),
    iterations: run.iterations,
    waiting_for:
      run.status === "waiting_external"
        ? `a model trained on GET /v1/training/runs/${run.id}/dataset?iteration=${iteration}, registered with POST /v1/versions {"training_run_id": "${run.id}", ...}`
        : null,
    cancel_requested: run.cancelRequested,
    error: run.error,
    pool_seq_at_start: run.poolSeqAtStart,
    created_at: run.createdAt.toISOString(),
    updated_at: run.updatedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
  };
}
