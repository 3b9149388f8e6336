import { calibration, type Calibration } from "./calibration";
import { decideGate, type GateDecision, type GateParams } from "./gate";
import { mcnemarExactOneSided, wilsonInterval } from "./statistics";

export type Label = "A" | "B" | "tie";

/**
 * Scoring rule: a verdict is correct when it equals the label. A `tie` label is therefore right
 * only for a `tie` verdict, and an A/B label is wrong for a tie (including the tie that a
 * position-inconsistent judge produces). No verdict at all (every output invalid) is wrong.
 * Position-consistent correct = correct AND both orders agreed (needs swap).
 */
export function isCorrect(label: Label, verdict: Label | null): boolean {
  return verdict !== null && verdict === label;
}

/** One (held-out item, version) result as stored in evaluation_items, joined with its item. */
export interface ScoredUnit {
  itemId: string;
  label: Label;
  category: string | null;
  source: string;
  verdict: Label | null;
  /** null: the LLM call failed after retries, so there is no judgment to score. */
  correct: boolean | null;
  consistentCorrect: boolean | null;
  invalidVotes: number;
  totalVotes: number;
  usage?: { prompt_tokens: number; completion_tokens: number; llm_requests: number } | null;
  /** The judgment's confidence in its verdict and where it came from (absent on old rows: votes). */
  confidence?: number | null;
  confidenceSource?: "logprobs" | "votes" | null;
}

export interface Breakdown {
  n: number;
  correct: number;
  accuracy: number;
}

export interface VersionMetrics {
  n: number;
  correct: number;
  accuracy: number;
  ci95: [number, number];
  position_consistent_correct: number | null;
  position_consistent_accuracy: number | null;
  position_consistent_ci95: [number, number] | null;
  /** Items where every judge output was unparseable (scored wrong). */
  no_verdict: number;
  /** Unparseable judge outputs / all judge outputs. */
  invalid_output_rate: number;
  /** Items whose LLM call failed after retries; excluded from every number above. */
  llm_failures: number;
  by_category: Record<string, Breakdown>;
  by_source: Record<string, Breakdown>;
  usage: { prompt_tokens: number; completion_tokens: number; llm_requests: number };
  /** How well confidence predicts correctness on the scored items with a verdict (ECE, 10 bins). */
  calibration: Calibration;
}

export interface PairedComparison {
  n: number;
  test: "exact one-sided McNemar";
  candidate_accuracy: number;
  baseline_accuracy: number;
  delta: number;
  both_correct: number;
  both_wrong: number;
  candidate_only_correct: number;
  baseline_only_correct: number;
  p_value: number;
  consistency_delta: number;
}

export interface EvaluationResult {
  /** Items judged by both versions; every metric and the test use exactly these. */
  n: number;
  /** Items left out because an LLM call failed for either version. */
  excluded_items: number;
  candidate: VersionMetrics;
  baseline: VersionMetrics;
  comparison: PairedComparison;
  decision: GateDecision;
}

/** The category of items that have none, in every breakdown and in the console. */
export const UNCATEGORIZED = "uncategorized";

function breakdown(units: ScoredUnit[], key: (u: ScoredUnit) => string): Record<string, Breakdown> {
  const out: Record<string, Breakdown> = {};
  for (const u of units) {
    const k = key(u);
    const b = (out[k] ??= { n: 0, correct: 0, accuracy: 0 });
    b.n += 1;
    if (u.correct) b.correct += 1;
  }
  for (const b of Object.values(out)) b.accuracy = b.n === 0 ? 0 : b.correct / b.n;
  return out;
}

export function versionMetrics(all: ScoredUnit[], comparable: Set<string>, swap: boolean): VersionMetrics {
  const units = all.filter((u) => comparable.has(u.itemId));
  const n = units.length;
  const correct = units.filter((u) => u.correct).length;
  const pcCorrect = swap ? units.filter((u) => u.consistentCorrect).length : null;
  const invalid = units.reduce((s, u) => s + u.invalidVotes, 0);
  const votes = units.reduce((s, u) => s + u.totalVotes, 0);
  const usage = { prompt_tokens: 0, completion_tokens: 0, llm_requests: 0 };
  for (const u of all) {
    if (!u.usage) continue;
    usage.prompt_tokens += u.usage.prompt_tokens;
    usage.completion_tokens += u.usage.completion_tokens;
    usage.llm_requests += u.usage.llm_requests;
  }
  return {
    n,
    correct,
    accuracy: n === 0 ? 0 : correct / n,
    ci95: wilsonInterval(correct, n),
    position_consistent_correct: pcCorrect,
    position_consistent_accuracy: pcCorrect === null ? null : n === 0 ? 0 : pcCorrect / n,
    position_consistent_ci95: pcCorrect === null ? null : wilsonInterval(pcCorrect, n),
    no_verdict: units.filter((u) => u.verdict === null).length,
    invalid_output_rate: votes === 0 ? 0 : invalid / votes,
    llm_failures: all.filter((u) => u.correct === null).length,
    by_category: breakdown(units, (u) => u.category ?? UNCATEGORIZED),
    by_source: breakdown(units, (u) => u.source),
    usage,
    // Items with a verdict and a stored confidence: no verdict has no confidence to check.
    calibration: calibration(
      units
        .filter((u) => u.verdict !== null && typeof u.confidence === "number")
        .map((u) => ({ confidence: u.confidence!, correct: u.correct === true, source: u.confidenceSource ?? "votes" })),
    ),
  };
}

/**
 * Scores both versions on the items they were both judged on and runs the paired test.
 * An item whose LLM call failed for either version is left out for both: counting a provider
 * outage as a wrong verdict would hand the other version free wins.
 */
export function evaluationResult(
  candidate: ScoredUnit[],
  baseline: ScoredUnit[],
  opts: { swap: boolean; gate: GateParams },
): EvaluationResult {
  const cand = new Map(candidate.map((u) => [u.itemId, u]));
  const base = new Map(baseline.map((u) => [u.itemId, u]));
  const allItems = new Set([...cand.keys(), ...base.keys()]);
  const comparable = new Set<string>();
  for (const id of allItems) {
    const c = cand.get(id);
    const b = base.get(id);
    if (c && b && c.correct !== null && b.correct !== null) comparable.add(id);
  }
  let bothCorrect = 0;
  let bothWrong = 0;
  let candOnly = 0;
  let baseOnly = 0;
  let pcCand = 0;
  let pcBase = 0;
  for (const id of comparable) {
    const c = cand.get(id)!;
    const b = base.get(id)!;
    if (c.correct && b.correct) bothCorrect++;
    else if (c.correct) candOnly++;
    else if (b.correct) baseOnly++;
    else bothWrong++;
    if (c.consistentCorrect) pcCand++;
    if (b.consistentCorrect) pcBase++;
  }
  const n = comparable.size;
  const candidateMetrics = versionMetrics(candidate, comparable, opts.swap);
  const baselineMetrics = versionMetrics(baseline, comparable, opts.swap);
  const delta = n === 0 ? 0 : (candOnly - baseOnly) / n;
  const consistencyDelta = n === 0 || !opts.swap ? 0 : (pcCand - pcBase) / n;
  const pValue = mcnemarExactOneSided(candOnly, baseOnly);
  const comparison: PairedComparison = {
    n,
    test: "exact one-sided McNemar",
    candidate_accuracy: candidateMetrics.accuracy,
    baseline_accuracy: baselineMetrics.accuracy,
    delta,
    both_correct: bothCorrect,
    both_wrong: bothWrong,
    candidate_only_correct: candOnly,
    baseline_only_correct: baseOnly,
    p_value: pValue,
    consistency_delta: consistencyDelta,
  };
  const decision = decideGate({ n, delta, p_value: pValue, consistency_delta: consistencyDelta }, opts.gate);
  return {
    n,
    excluded_items: allItems.size - n,
    candidate: candidateMetrics,
    baseline: baselineMetrics,
    comparison,
    decision,
  };
}
