import type { Config } from "../config";

/**
 * The promotion gate. A candidate replaces the active version only when, on the same held-out
 * items:
 *   1. its accuracy is higher by at least `min_delta` (absolute, 0.01 = one point),
 *   2. the exact one-sided McNemar test gives p < `alpha`, and
 *   3. its position-consistent accuracy is not lower by more than `consistency_tolerance`.
 * All three must hold; n = 0 comparable items never promotes.
 */
export interface GateParams {
  min_delta: number;
  alpha: number;
  consistency_tolerance: number;
}

export interface GateInput {
  /** Items both versions were judged on (LLM failures excluded). */
  n: number;
  /** candidate accuracy − baseline accuracy on those items. */
  delta: number;
  /** One-sided p-value for "candidate is better". */
  p_value: number;
  /** candidate position-consistent accuracy − baseline's (negative = candidate less consistent). */
  consistency_delta: number;
}

export interface GateCheck {
  passed: boolean;
  value: number;
  threshold: number;
}

export interface GateDecision {
  decision: "promote" | "reject";
  reasons: string[];
  checks: { delta: GateCheck; p_value: GateCheck; consistency: GateCheck };
  params: GateParams;
}

export function defaultGateParams(config: Pick<Config, "gate">): GateParams {
  return {
    min_delta: config.gate.minDelta,
    alpha: config.gate.alpha,
    consistency_tolerance: config.gate.consistencyTolerance,
  };
}

const pts = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(2)} points`;
const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(2) : p.toFixed(4));

/** Pure: the same numbers always give the same decision. */
export function decideGate(input: GateInput, params: GateParams): GateDecision {
  // Comparing with a small epsilon: 0.01 computed as 51/100 − 50/100 must count as 0.01.
  const EPS = 1e-12;
  const delta: GateCheck = { passed: input.delta + EPS >= params.min_delta, value: input.delta, threshold: params.min_delta };
  const p: GateCheck = { passed: input.p_value < params.alpha, value: input.p_value, threshold: params.alpha };
  const consistency: GateCheck = {
    passed: -input.consistency_delta <= params.consistency_tolerance + EPS,
    value: input.consistency_delta,
    threshold: -params.consistency_tolerance,
  };
  const reasons: string[] = [];
  if (input.n === 0) reasons.push("no held-out item was judged by both versions");
  reasons.push(
    delta.passed
      ? `accuracy ${pts(input.delta)} >= min_delta ${pts(params.min_delta)}`
      : `accuracy ${pts(input.delta)} < min_delta ${pts(params.min_delta)}`,
  );
  reasons.push(
    p.passed
      ? `one-sided exact McNemar p = ${fmtP(input.p_value)} < alpha ${params.alpha}`
      : `one-sided exact McNemar p = ${fmtP(input.p_value)} >= alpha ${params.alpha}`,
  );
  reasons.push(
    consistency.passed
      ? `position-consistent accuracy ${pts(input.consistency_delta)} is within the tolerance of ${pts(-params.consistency_tolerance)}`
      : `position-consistent accuracy ${pts(input.consistency_delta)} drops more than the tolerance of ${pts(-params.consistency_tolerance)}`,
  );
  const promote = input.n > 0 && delta.passed && p.passed && consistency.passed;
  return { decision: promote ? "promote" : "reject", reasons, checks: { delta, p_value: p, consistency }, params };
}
