import type { VersionRow } from "../../db/queries/versions";
import type { ActivationResult } from "../../versions/activation";

// Pure: rows in, response bodies out (no database access).

export function presentVersion(v: VersionRow, evaluatorName: string) {
  return {
    id: v.id,
    name: v.name,
    number: v.number,
    evaluator: evaluatorName,
    model: v.model,
    base_url: v.baseUrl,
    api_key_env: v.apiKeyEnv,
    members: v.members ?? null,
    template: v.template,
    prompt_template: v.promptTemplate,
    few_shot: v.fewShot,
    params: v.params as Record<string, unknown>,
    status: v.status,
    notes: v.notes,
    training_run_id: v.trainingRunId,
    iteration: v.iteration,
    metrics: v.metrics ?? null,
    gate_decision: v.gateDecision ?? null,
    created_at: v.createdAt.toISOString(),
    activated_at: v.activatedAt ? v.activatedAt.toISOString() : null,
  };
}

export function presentActivation(r: ActivationResult, evaluatorName: string) {
  return {
    version: presentVersion(r.to, evaluatorName),
    previous: r.from ? { id: r.from.id, name: r.from.name } : null,
    audit_event_id: r.event.id,
  };
}
