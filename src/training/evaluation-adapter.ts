import type { AppDeps } from "../deps";
import { findRunEvaluation } from "../db/queries/evaluations";
import { cancelEvaluation, createEvaluation, runEvaluation, type AppliedDecision, type EvaluationResult } from "../evaluation";
import type { CandidateEvaluator, GateOutcome } from "./deps";

type Deps = Pick<AppDeps, "database" | "llm" | "config" | "logger" | "clock">;

/**
 * The training loop's view of issue 3's evaluation and gate: candidate vs the active version on
 * the evaluator's whole held-out set (this and earlier runs' synthetic pairs plus human and
 * imported items), both orders, and the gate applied when it completes (activation only with auto_promote).
 */
export function createCandidateEvaluator(deps: Deps): CandidateEvaluator {
  const db = deps.database.db;
  return {
    async start(a) {
      // A crash between creating the evaluation and saving its id must not create a second one.
      const existing = await findRunEvaluation(db, a.trainingRunId, a.candidateVersionId);
      if (existing) return existing;
      const row = await createEvaluation(deps, {
        evaluatorId: a.evaluatorId,
        version: a.candidateVersionId,
        // Always gated, so a failing candidate is rejected with its numbers; auto_promote only
        // decides whether a passing one is activated.
        promote: true,
        activate: a.promote,
        swap: true,
        samples: 1,
        actor: `training-run:${a.trainingRunId}`,
        trainingRunId: a.trainingRunId,
      });
      return row.id;
    },
    async finish(id, opts) {
      const row = await runEvaluation(deps, id, { signal: opts.signal, shouldStop: opts.shouldStop, concurrency: opts.concurrency });
      if (row.status === "running" || row.status === "queued") return null;
      if (row.status !== "completed" || !row.result) {
        throw new Error(`evaluation ${id} ${row.status}${row.error ? `: ${row.error}` : ""}`);
      }
      return toOutcome(id, row.result as unknown as EvaluationResult & { applied: AppliedDecision });
    },
    async cancel(id) {
      // 409 (already ended) is fine: there is nothing left to stop.
      await cancelEvaluation(deps, id).catch(() => undefined);
    },
  };
}

function toOutcome(evaluationId: string, r: EvaluationResult & { applied: AppliedDecision }): GateOutcome {
  const version = (m: EvaluationResult["candidate"]) => ({
    n: m.n,
    accuracy: m.accuracy,
    ci95: m.ci95,
    position_consistent_accuracy: m.position_consistent_accuracy,
    invalid_output_rate: m.invalid_output_rate,
  });
  return {
    evaluationId,
    passed: r.decision.decision === "promote",
    promoted: r.applied.outcome === "promoted",
    metrics: { n: r.n, candidate: version(r.candidate), baseline: version(r.baseline), comparison: r.comparison },
    decision: {
      decision: r.decision.decision,
      reasons: r.decision.reasons,
      checks: r.decision.checks,
      params: r.decision.params,
      outcome: r.applied.outcome,
      note: r.applied.note,
    },
  };
}
