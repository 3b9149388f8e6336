import type { EvaluatorWithActive } from "../../db/queries/evaluators";

// Pure: rows in, response bodies out (no database access).

export function presentEvaluator(e: EvaluatorWithActive) {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    criteria: e.criteria,
    seed_model: e.seedModel,
    active_version: e.active,
    created_at: e.createdAt.toISOString(),
  };
}
