import type { z } from "@hono/zod-openapi";
import type { EvaluationWithNames } from "../../db/queries/evaluations";
import type { EvaluationResultSchema, GateParamsSchema } from "./evaluations.schemas";

// Pure: rows in, response bodies out (no database access).

export function presentEvaluation(e: EvaluationWithNames) {
  return {
    id: e.id,
    evaluator_id: e.evaluatorId,
    status: e.status,
    candidate: { id: e.candidateVersionId, name: e.candidateName },
    baseline: e.baselineVersionId && e.baselineName ? { id: e.baselineVersionId, name: e.baselineName } : null,
    dataset: e.datasetId ? { id: e.datasetId, name: String((e.filter as { dataset?: unknown } | null)?.dataset ?? "") } : null,
    filter: e.filter ?? {},
    samples: e.samples,
    swap: e.swap,
    promote: e.promote,
    gate: e.gate as z.infer<typeof GateParamsSchema>,
    progress: { done: e.progressDone, total: e.progressTotal },
    result: (e.result ?? null) as z.infer<typeof EvaluationResultSchema> | null,
    error: e.error,
    training_run_id: e.trainingRunId,
    actor: e.actor,
    created_at: e.createdAt.toISOString(),
    started_at: e.startedAt ? e.startedAt.toISOString() : null,
    finished_at: e.finishedAt ? e.finishedAt.toISOString() : null,
  };
}
