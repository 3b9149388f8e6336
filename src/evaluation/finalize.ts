import type { AppDeps } from "../deps";
import type { Tx } from "../db/client";
import { insertAuditEvent } from "../db/queries/audit";
import {
  completeEvaluation,
  finishEvaluation,
  getEvaluation,
  lockEvaluation,
  scoredUnits,
  type EvaluationRow,
} from "../db/queries/evaluations";
import { findVersion, setVersionEvaluation, setVersionStatus, type VersionRow } from "../db/queries/versions";
import { ApiError } from "../lib/errors";
import { changeActiveVersionInTx } from "../versions/activation";
import type { GateParams } from "./gate";
import { heldoutReport, type HeldoutProbeUnit } from "./heldout-report";
import { evaluationResult, type EvaluationResult, type Label, type ScoredUnit, type VersionMetrics } from "./metrics";

/**
 * Above this share of items lost to LLM failures the evaluation fails instead of completing:
 * its numbers would describe a provider outage, not the judges, and must not drive the gate.
 */
export const MAX_FAILED_ITEM_SHARE = 0.5;

export type GateOutcome =
  | "promoted"
  | "rejected"
  | "not_applied_active_changed"
  | "not_requested";

/** What `promote: true` did with the gate's decision; stored in the result and on the candidate. */
export interface AppliedDecision {
  applied: boolean;
  outcome: GateOutcome;
  note: string;
}

type Deps = Pick<AppDeps, "database" | "logger" | "clock">;

/**
 * Scores the stored units and ends the evaluation. With `promote`, in the same transaction that
 * marks it completed: a passing candidate is activated (audit action `promote`), a failing one
 * becomes `rejected` (audit action `reject`); the decision and its numbers go on the candidate
 * either way. With `activate` false a pass is only recorded (the candidate stays a candidate) while a
 * failure is still applied. Idempotent: a second call finds the evaluation no longer running and does nothing.
 */
export async function finalizeEvaluation(deps: Deps, id: string): Promise<void> {
  const db = deps.database.db;
  const ev = await getEvaluation(db, id);
  if (!ev || ev.status !== "running") return;
  const units = await scoredUnits(db, id);
  const toScored = (versionId: string): ScoredUnit[] =>
    units
      .filter((u) => u.versionId === versionId)
      .map((u) => ({
        itemId: u.itemId,
        label: u.label as Label,
        category: u.category,
        source: u.source,
        verdict: (u.verdict as Label | null) ?? null,
        correct: u.correct,
        consistentCorrect: u.consistentCorrect,
        invalidVotes: u.invalidVotes,
        totalVotes: u.totalVotes,
        usage: (u.detail?.usage as ScoredUnit["usage"]) ?? null,
        confidence: typeof u.detail?.confidence === "number" ? u.detail.confidence : null,
        confidenceSource: (u.detail?.confidence_source as ScoredUnit["confidenceSource"]) ?? null,
      }));
  const gate = ev.gate as unknown as GateParams;
  const result = evaluationResult(toScored(ev.candidateVersionId), toScored(ev.baselineVersionId!), { swap: ev.swap, gate });
  // Agreement with human labels and bias probes, on the same items the accuracies use.
  const okFor = (versionId: string) => new Set(units.filter((u) => u.versionId === versionId && u.correct !== null).map((u) => u.itemId));
  const baselineOk = okFor(ev.baselineVersionId!);
  const comparable = new Set([...okFor(ev.candidateVersionId)].filter((id) => baselineOk.has(id)));
  const report = (versionId: string) =>
    heldoutReport(
      units
        .filter((u) => u.versionId === versionId && comparable.has(u.itemId))
        .map((u): HeldoutProbeUnit => ({
          itemId: u.itemId,
          label: u.label as Label,
          verdict: (u.verdict as Label | null) ?? null,
          source: u.source,
          sourceJudgmentId: u.sourceJudgmentId,
          lenA: u.lenA,
          lenB: u.lenB,
          outputs: (u.detail?.outputs as HeldoutProbeUnit["outputs"]) ?? null,
        })),
      { swap: ev.swap },
    );
  const items = result.n + result.excluded_items;
  if (items === 0 || result.excluded_items > MAX_FAILED_ITEM_SHARE * items) {
    await finishEvaluation(db, id, {
      status: "failed",
      error:
        `LLM calls failed for ${result.excluded_items} of ${items} items (after retries); ` +
        "the numbers would measure the outage, so no result is reported and the gate was not applied",
    });
    return;
  }

  await db.transaction(async (tx) => {
    const locked = await lockEvaluation(tx, id);
    if (!locked || locked.status !== "running") return;
    const candidate = (await findVersion(tx, ev.evaluatorId, ev.candidateVersionId))!;
    const baseline = (await findVersion(tx, ev.evaluatorId, ev.baselineVersionId!))!;
    const now = deps.clock.now().toISOString();
    const applied = ev.promote
      ? await applyGate(tx, ev, candidate, baseline, result)
      : { applied: false, outcome: "not_requested" as const, note: "promote was false: the decision is advisory" };

    await setVersionEvaluation(tx, candidate.id, {
      metrics: versionSummary(ev, result.candidate, "candidate", baseline, now),
      ...(ev.promote ? { gateDecision: decisionRecord(ev, result, applied, now) } : {}),
    });
    await setVersionEvaluation(tx, baseline.id, { metrics: versionSummary(ev, result.baseline, "baseline", candidate, now) });
    await completeEvaluation(tx, id, {
      result: {
        ...result,
        applied,
        ...report(ev.candidateVersionId),
        baseline_report: report(ev.baselineVersionId!),
      } as unknown as Record<string, unknown>,
      progressDone: units.length,
    });
  });
}

/**
 * Applies a computed decision inside the finishing transaction. A pass activates the candidate,
 * but only if the baseline it beat is still the active version: a candidate is never promoted
 * over a version it was not compared with.
 */
export async function applyGate(
  tx: Tx,
  ev: EvaluationRow,
  candidate: VersionRow,
  baseline: VersionRow,
  result: EvaluationResult,
): Promise<AppliedDecision> {
  const numbers = gateNumbers(ev, result);
  if (result.decision.decision === "promote" && !ev.activate) {
    return {
      applied: false,
      outcome: "not_requested",
      note: `the gate passed; activation was not requested, so ${candidate.name} stays a candidate`,
    };
  }
  if (result.decision.decision === "promote") {
    try {
      await changeActiveVersionInTx(tx, {
        evaluatorId: ev.evaluatorId,
        action: "promote",
        target: { versionId: candidate.id },
        expectActiveId: baseline.id,
        actor: ev.actor,
        reason: `promotion gate passed (evaluation ${ev.id})`,
        details: numbers,
      });
      return { applied: true, outcome: "promoted", note: `${candidate.name} replaced ${baseline.name} as the active version` };
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== "conflict") throw err;
      const note = `the gate passed but ${baseline.name} is no longer the active version, so ${candidate.name} was not promoted`;
      await insertAuditEvent(tx, {
        evaluatorId: ev.evaluatorId,
        action: "promote_skipped",
        actor: ev.actor,
        reason: note,
        details: { ...numbers, version_id: candidate.id, version: candidate.name },
      });
      return { applied: false, outcome: "not_applied_active_changed", note };
    }
  }
  // Only a fresh candidate is marked rejected; a retired version keeps its history.
  if (candidate.status === "candidate") await setVersionStatus(tx, candidate.id, "rejected");
  await insertAuditEvent(tx, {
    evaluatorId: ev.evaluatorId,
    action: "reject",
    actor: ev.actor,
    reason: `promotion gate refused ${candidate.name}: ${result.decision.reasons.join("; ")}`,
    details: { ...numbers, version_id: candidate.id, version: candidate.name },
  });
  return { applied: true, outcome: "rejected", note: `${candidate.name} stays out of service` };
}

function gateNumbers(ev: EvaluationRow, r: EvaluationResult): Record<string, unknown> {
  return {
    evaluation_id: ev.id,
    n: r.n,
    candidate_accuracy: r.comparison.candidate_accuracy,
    baseline_accuracy: r.comparison.baseline_accuracy,
    delta: r.comparison.delta,
    p_value: r.comparison.p_value,
    consistency_delta: r.comparison.consistency_delta,
    candidate_position_consistent_accuracy: r.candidate.position_consistent_accuracy,
    baseline_position_consistent_accuracy: r.baseline.position_consistent_accuracy,
    gate: r.decision.params,
    decision: r.decision.decision,
    reasons: r.decision.reasons,
  };
}

export function decisionRecord(ev: EvaluationRow, r: EvaluationResult, applied: AppliedDecision, now: string): Record<string, unknown> {
  return {
    evaluation_id: ev.id,
    decision: r.decision.decision,
    reasons: r.decision.reasons,
    checks: r.decision.checks,
    params: r.decision.params,
    comparison: r.comparison,
    ...applied,
    decided_at: now,
  };
}

function versionSummary(
  ev: EvaluationRow,
  m: VersionMetrics,
  role: "candidate" | "baseline",
  other: VersionRow,
  now: string,
): Record<string, unknown> {
  return {
    evaluation_id: ev.id,
    role,
    against: { id: other.id, name: other.name },
    n: m.n,
    accuracy: m.accuracy,
    ci95: m.ci95,
    position_consistent_accuracy: m.position_consistent_accuracy,
    invalid_output_rate: m.invalid_output_rate,
    ece: m.calibration.ece,
    confidence_source: m.calibration.source,
    evaluated_at: now,
  };
}
