/**
 * The pure decisions of a run: category quotas, which judgment a pair keeps, the A/B balance,
 * DPO pairs and few-shot demonstrations. No I/O, so they are unit-tested directly.
 */
import { pickOne, unitFor } from "../lib/rng";

/**
 * Splits `total` across categories in proportion to their weights, never giving a category more
 * than it has; what a small category cannot take flows to the others (water-filling).
 */
export function stratifiedQuotas(
  available: ReadonlyMap<string, number>,
  weights: Readonly<Record<string, number>>,
  total: number,
): Map<string, number> {
  const quota = new Map<string, number>();
  const cats = [...available.keys()].sort();
  for (const c of cats) quota.set(c, 0);
  const room = (c: string) => (available.get(c) ?? 0) - (quota.get(c) ?? 0);
  const weight = (c: string) => weights[c] ?? 1;
  let remaining = total;
  for (;;) {
    const active = cats.filter((c) => room(c) > 0 && weight(c) > 0);
    if (remaining <= 0 || active.length === 0) break;
    const sum = active.reduce((s, c) => s + weight(c), 0);
    const shares = active.map((c) => ({ c, share: (remaining * weight(c)) / sum }));
    let given = 0;
    for (const { c, share } of shares) {
      const n = Math.min(room(c), Math.floor(share));
      quota.set(c, quota.get(c)! + n);
      given += n;
    }
    if (given === 0) {
      // Every share is below one: hand single items out, largest fraction first.
      shares.sort((x, y) => y.share - x.share || (x.c < y.c ? -1 : 1));
      for (const { c } of shares) {
        if (given >= remaining) break;
        if (room(c) > 0) {
          quota.set(c, quota.get(c)! + 1);
          given += 1;
        }
      }
    }
    remaining -= given;
  }
  return quota;
}

export type Side = "A" | "B";

export interface SampledJudgment {
  sampleIndex: number;
  order: "ab" | "ba";
  text: string;
  picksChosen: boolean;
  /** Vote as written in the text (the judge's frame): A, B, tie or invalid. */
  vote: string;
}

/** y_w is shown as A in order "ab" and as B in "ba", so a correct judgment's label follows its order. */
export function labelOf(order: "ab" | "ba"): Side {
  return order === "ab" ? "A" : "B";
}

/** Rejection sampling: one judgment picked at random among those that chose y_w, or null. */
export function chooseKept(judgments: readonly SampledJudgment[], rand: () => number): SampledJudgment | null {
  const correct = [...judgments].filter((j) => j.picksChosen).sort((a, b) => a.sampleIndex - b.sampleIndex);
  return pickOne(correct, rand) ?? null;
}

/**
 * J1-style consistency: the annotator was right in BOTH answer orders (at least one sample picking
 * y_w with y_w shown first, and one with it shown second). A pair right in one order only may be
 * right because of where y_w stood, which is the position bias training must not learn.
 */
export function rightInBothOrders(judgments: readonly SampledJudgment[]): boolean {
  return judgments.some((j) => j.picksChosen && j.order === "ab") && judgments.some((j) => j.picksChosen && j.order === "ba");
}

export type KeepDecision =
  | { kind: "kept"; judgment: SampledJudgment }
  | { kind: "no_correct" }
  /** Dropped by the consistency filter: right in one answer order only. */
  | { kind: "inconsistent" };

/** Which judgment a pair keeps, with the consistency filter applied when asked. */
export function decideKept(judgments: readonly SampledJudgment[], rand: () => number, consistencyFilter: boolean): KeepDecision {
  const k = chooseKept(judgments, rand);
  if (!k) return { kind: "no_correct" };
  if (consistencyFilter && !rightInBothOrders(judgments)) return { kind: "inconsistent" };
  return { kind: "kept", judgment: k };
}

export interface KeptCandidate {
  pairId: string;
  label: Side;
}

/**
 * Exactly as many A-wins as B-wins: the surplus side drops the pairs ranking last in a
 * seed-determined order, so a re-run drops the same ones.
 */
export function balanceLabels<T extends KeptCandidate>(kept: readonly T[], seedKey: string): T[] {
  const rank = (k: T) => unitFor(seedKey, k.pairId);
  const bySide = (side: Side) => kept.filter((k) => k.label === side).sort((x, y) => rank(x) - rank(y) || (x.pairId < y.pairId ? -1 : 1));
  const a = bySide("A");
  const b = bySide("B");
  const m = Math.min(a.length, b.length);
  return [...a.slice(0, m), ...b.slice(0, m)];
}

export interface DpoChoice {
  order: "ab" | "ba";
  chosen: SampledJudgment;
  rejected: SampledJudgment;
}

/**
 * A DPO pair needs a correct and a wrong (other side, tie or unparseable) judgment of the SAME
 * prompt, i.e. the same answer order. The kept judgment's order is preferred, with the kept
 * judgment as the chosen side.
 */
export function chooseDpo(
  judgments: readonly SampledJudgment[],
  kept: SampledJudgment | null,
  rand: () => number,
): DpoChoice | null {
  const sorted = [...judgments].sort((a, b) => a.sampleIndex - b.sampleIndex);
  const orders: Array<"ab" | "ba"> = kept ? [kept.order, kept.order === "ab" ? "ba" : "ab"] : ["ab", "ba"];
  for (const order of orders) {
    const inOrder = sorted.filter((j) => j.order === order);
    const wrong = inOrder.filter((j) => !j.picksChosen);
    const right = inOrder.filter((j) => j.picksChosen);
    if (wrong.length === 0 || right.length === 0) continue;
    const chosen = kept && kept.order === order ? kept : pickOne(right, rand)!;
    return { order, chosen, rejected: pickOne(wrong, rand)! };
  }
  return null;
}

export interface DemoCandidate {
  pairId: string;
  label: Side;
  category: string | null;
}

/**
 * k demonstrations with both labels (alternating A/B) spread over as many categories as possible:
 * each pick takes the next category in a round robin, in seed-determined order.
 */
export function pickDemonstrations<T extends DemoCandidate>(pool: readonly T[], k: number, seedKey: string): T[] {
  const rank = (d: T) => unitFor(seedKey, d.pairId);
  const queues = new Map<string, T[]>();
  for (const side of ["A", "B"] as const) {
    for (const d of pool.filter((p) => p.label === side).sort((x, y) => rank(x) - rank(y))) {
      const key = `${side}\u0000${d.category ?? "other"}`;
      queues.set(key, [...(queues.get(key) ?? []), d]);
    }
  }
  const out: T[] = [];
  const usedCats = new Map<string, number>();
  for (let i = 0; out.length < k; i++) {
    const side: Side = i % 2 === 0 ? "A" : "B";
    const keys = [...queues.keys()].filter((q) => q.startsWith(`${side}\u0000`) && queues.get(q)!.length > 0);
    const otherKeys = [...queues.keys()].filter((q) => queues.get(q)!.length > 0);
    const pool2 = keys.length > 0 ? keys : otherKeys;
    if (pool2.length === 0) break;
    // The least used category first; ties broken by the best-ranked head.
    pool2.sort((x, y) => {
      const ux = usedCats.get(x.split("\u0000")[1]!) ?? 0;
      const uy = usedCats.get(y.split("\u0000")[1]!) ?? 0;
      return ux - uy || rank(queues.get(x)![0]!) - rank(queues.get(y)![0]!);
    });
    const key = pool2[0]!;
    const d = queues.get(key)!.shift()!;
    const cat = key.split("\u0000")[1]!;
    usedCats.set(cat, (usedCats.get(cat) ?? 0) + 1);
    out.push(d);
  }
  return out;
}
