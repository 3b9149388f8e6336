import { wilsonInterval, Z95 } from "../evaluation/statistics";

// Pure helpers shared by the benchmark scorers: every score carries its n and a 95% interval.

export interface Score {
  n: number;
  score: number;
  ci95: [number, number];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Mean of per-item scores with a 95% interval: Wilson when every score is 0 or 1 (a proportion),
 * otherwise the normal interval of the mean (scores of 0.5 for split decisions), clamped to [0, 1].
 */
export function meanScore(values: readonly number[]): Score & { se: number } {
  const n = values.length;
  if (n === 0) return { n: 0, score: 0, ci95: [0, 1], se: 0 };
  let sum = 0;
  let binary = true;
  for (const v of values) {
    sum += v;
    if (v !== 0 && v !== 1) binary = false;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0.5;
  const ci95: [number, number] = binary ? wilsonInterval(Math.round(sum), n) : [clamp01(mean - Z95 * se), clamp01(mean + Z95 * se)];
  return { n, score: mean, ci95, se };
}

/** A weighted mean of independent scores, its interval from the combined standard error. */
export function weightedScore(parts: ReadonlyArray<{ weight: number; score: number; se: number; n: number }>): Score & { se: number } {
  const w = parts.reduce((s, p) => s + p.weight, 0);
  const n = parts.reduce((s, p) => s + p.n, 0);
  if (w === 0) return { n, score: 0, ci95: [0, 1], se: 0 };
  const score = parts.reduce((s, p) => s + p.weight * p.score, 0) / w;
  const se = Math.sqrt(parts.reduce((s, p) => s + (p.weight / w) ** 2 * p.se ** 2, 0));
  return { n, score, ci95: [clamp01(score - Z95 * se), clamp01(score + Z95 * se)], se };
}

export const round = (s: Score & { se?: number }): Score => ({ n: s.n, score: s.score, ci95: s.ci95 });

export type Verdict = "A" | "B" | "tie";

export function flipLabel(l: Verdict): Verdict {
  return l === "A" ? "B" : l === "B" ? "A" : "tie";
}

/** One judged row of a benchmark evaluation for one version, with what scoring needs. */
export interface BenchUnit {
  itemId: string;
  pairHash: string;
  subset: string;
  label: Verdict;
  meta: Record<string, unknown>;
  /** The aggregated verdict (both orders), null when no output held a valid verdict. */
  verdict: Verdict | null;
  /** Each judged order's majority, in the caller's frame; ba is absent without swap. */
  orders: { ab?: Verdict | null; ba?: Verdict | null };
  /** Characters of response_a / response_b (the final replies for dialogues). */
  lenA: number;
  lenB: number;
}

/**
 * RewardBench's rule for a chosen/rejected pair, per judged order: the order's vote for the
 * labelled answer counts 1, for the other 0, anything else (tie, no valid output) 0.5 — and over
 * both orders 1 only if both prefer the labelled answer, 0 only if both prefer the other.
 */
export function chosenScore(u: Pick<BenchUnit, "label" | "orders">): number {
  const votes = [u.orders.ab, u.orders.ba].filter((v) => v !== undefined);
  if (votes.length === 0) return 0.5;
  if (votes.every((v) => v === u.label)) return 1;
  if (votes.every((v) => v === flipLabel(u.label) && v !== "tie")) return 0;
  return 0.5;
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(it);
  }
  return out;
}

export function sortedRecord<V>(m: Map<string, V>): Record<string, V> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
