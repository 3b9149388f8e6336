import type { HeldoutRow } from "../../db/queries/heldout";

// Pure: rows in, response bodies out (no database access).

export function presentHeldout(r: HeldoutRow) {
  return {
    id: r.id,
    instruction: r.instruction,
    response_a: r.responseA,
    response_b: r.responseB,
    label: r.label,
    source: r.source,
    category: r.category,
    note: r.note,
    judgment_id: r.judgmentId,
    training_run_id: r.trainingRunId,
    created_at: r.createdAt.toISOString(),
  };
}
