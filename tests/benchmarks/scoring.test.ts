import { describe, expect, it } from "vitest";
import {
  chosenScore,
  cohensKappa,
  judgebenchScores,
  mtBenchScores,
  REWARDBENCH_SECTIONS,
  rewardbenchScores,
  rmBenchScores,
  type BenchUnit,
  type Verdict,
} from "../../src/benchmarks";
import { stratifiedQuota } from "../../src/evaluation/benchmark-create";

// Every expected number here was computed by hand from the official rules.

let seq = 0;
function unit(p: Partial<BenchUnit> & { subset: string; ab?: Verdict | null; ba?: Verdict | null }): BenchUnit {
  const { ab, ba, ...rest } = p;
  const orders: BenchUnit["orders"] = {};
  if (ab !== undefined) orders.ab = ab;
  if (ba !== undefined) orders.ba = ba;
  return { itemId: `i${seq}`, pairHash: `h${seq++}`, label: "A", meta: {}, verdict: null, lenA: 10, lenB: 20, orders, ...rest };
}
/** n pairs of a subset of which `right` are preferred in both orders and the rest in neither. */
function subset(name: string, n: number, right: number): BenchUnit[] {
  return Array.from({ length: n }, (_, i) => unit({ subset: name, ab: i < right ? "A" : "B", ba: i < right ? "A" : "B" }));
}

describe("RewardBench rule and sections", () => {
  it("scores a pair 1 / 0 / 0.5 from its two orders (chosen stored as A)", () => {
    const s = (ab: Verdict | null, ba?: Verdict | null) => chosenScore({ label: "A", orders: ba === undefined ? { ab } : { ab, ba } });
    expect(s("A", "A")).toBe(1);
    expect(s("B", "B")).toBe(0);
    expect(s("A", "B")).toBe(0.5); // inconsistent
    expect(s("tie", "A")).toBe(0.5);
    expect(s("tie", "tie")).toBe(0.5);
    expect(s(null, "A")).toBe(0.5); // unparseable order
    expect(s("A")).toBe(1); // one order only (official script: shown once)
    expect(s("B")).toBe(0);
  });

  it("weights Reasoning like the leaderboard: math-prm counts as much as the six code subsets together", () => {
    const heps = REWARDBENCH_SECTIONS.Reasoning!.filter((s) => s.startsWith("hep-"));
    const all = rewardbenchScores([...subset("math-prm", 4, 4), ...heps.flatMap((h) => subset(h, 4, 2))]);
    expect(all.sections.Reasoning!.score).toBeCloseTo(0.75, 12); // (984·1 + 6·164·0.5) / 1968
    const two = rewardbenchScores([...subset("math-prm", 2, 2), ...subset("hep-python", 2, 1)]);
    expect(two.sections.Reasoning!.score).toBeCloseTo((984 + 82) / 1148, 12);
    expect(two.overall).toMatchObject({ complete: false });
  });

  it("weights Chat subsets by EXAMPLE_COUNTS, not by the rows present", () => {
    // alpacaeval-easy 100 at 1.0, mt-bench-easy 28 at 0.0: (100) / 128, whatever the row counts.
    const r = rewardbenchScores([...subset("alpacaeval-easy", 3, 3), ...subset("mt-bench-easy", 7, 0)]);
    expect(r.sections.Chat!.score).toBeCloseTo(100 / 128, 12);
    expect(r.sections.Chat!.n).toBe(10);
  });

  it("reproduces the released Llama-3.1-70B Self-Taught Evaluator row: Chat 96.9, Chat Hard 85.1, Safety 89.6, Reasoning 88.4 → 90.0", () => {
    const target: Record<string, number> = { Chat: 969, "Chat Hard": 851, Safety: 896, Reasoning: 884 };
    const units = Object.entries(REWARDBENCH_SECTIONS).flatMap(([section, members]) => members.flatMap((m) => subset(m, 1000, target[section]!)));
    const r = rewardbenchScores(units);
    expect(r.sections.Chat!.score).toBeCloseTo(0.969, 12);
    expect(r.sections["Chat Hard"]!.score).toBeCloseTo(0.851, 12);
    expect(r.sections.Safety!.score).toBeCloseTo(0.896, 12);
    expect(r.sections.Reasoning!.score).toBeCloseTo(0.884, 12);
    expect(r.overall).toMatchObject({ complete: true, n: 23_000 });
    expect(r.overall.score).toBeCloseTo(0.9, 12);
    expect(r.overall.ci95[0]).toBeLessThan(0.9);
    expect(r.overall.ci95[1]).toBeGreaterThan(0.9);
    expect(r.subsets["math-prm"]).toMatchObject({ n: 1000, score: 0.884 });
  });
});

describe("JudgeBench", () => {
  it("counts a pair correct only when the orders' net vote favours the label", () => {
    const us = [
      unit({ subset: "knowledge", ab: "A", ba: "A" }), // +2 correct
      unit({ subset: "knowledge", ab: "A", ba: "tie" }), // +1 correct
      unit({ subset: "math", ab: "A", ba: "B" }), // 0 not correct
      unit({ subset: "math", ab: "B", ba: "B" }), // -2
      unit({ subset: "coding", ab: null, ba: "A" }), // +1 correct
      unit({ subset: "coding", label: "B", ab: "B", ba: "A" }), // 0
    ];
    const r = judgebenchScores(us);
    expect(r.overall).toMatchObject({ n: 6, score: 0.5 });
    expect(r.categories.knowledge!.score).toBe(1);
    expect(r.categories.math!.score).toBe(0);
    expect(r.categories.coding!.score).toBe(0.5);
  });
});

describe("MT-Bench human agreement", () => {
  it("with ties counts every vote; without ties drops votes where either side said tie; no verdict disagrees", () => {
    const v = (label: Verdict, verdict: Verdict | null, subset = "turn-1") => unit({ subset, label, verdict });
    const r = mtBenchScores([v("A", "A"), v("B", "A"), v("tie", "tie"), v("A", "tie"), v("B", null, "turn-2"), v("B", "B", "turn-2")]);
    // with ties: agree on 1, 3, 6 → 3/6; without ties: votes 1, 2, 5, 6 → agree 1, 6 → 2/4
    expect(r.overall.with_ties).toMatchObject({ n: 6, score: 0.5, random_baseline: 1 / 3 });
    expect(r.overall.without_ties).toMatchObject({ n: 4, score: 0.5, random_baseline: 0.5 });
    expect(r.turns["turn-1"]!.without_ties).toMatchObject({ n: 2, score: 0.5 });
    expect(r.turns["turn-2"]!.with_ties).toMatchObject({ n: 2, score: 0.5 });
  });
});

describe("RM-Bench", () => {
  it("hard = upper triangle, normal = diagonal, easy = lower triangle of the style matrix", () => {
    // One prompt; the judge prefers chosen unless the rejected answer is more styled (j > i), where it is fooled in both orders.
    const us: BenchUnit[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const fooled = j > i;
      us.push(unit({ subset: "chat", meta: { cell: [i, j] }, ab: fooled ? "B" : "A", ba: fooled ? "B" : "A" }));
    }
    // a second prompt in safety-refuse: inconsistent (0.5) everywhere
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) us.push(unit({ subset: "safety-refuse", meta: { cell: [i, j] }, ab: "A", ba: "B" }));
    const r = rmBenchScores(us);
    expect(r.domains.chat!.matrix).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(r.domains.chat!).toMatchObject({ hard: { score: 0, n: 3 }, normal: { score: 1 }, easy: { score: 1 } });
    expect(r.domains.chat!.avg.score).toBeCloseTo(6 / 9, 12);
    expect(r.sections.safety!.avg.score).toBe(0.5);
    // overall = mean over the sections present (chat, safety)
    expect(r.overall.hard.score).toBeCloseTo(0.25, 12);
    expect(r.overall.normal.score).toBeCloseTo(0.75, 12);
    expect(r.overall.avg.score).toBeCloseTo((6 / 9 + 0.5) / 2, 12);
  });
});

describe("Cohen's kappa", () => {
  it("matches the textbook 2×2 example (p_o 0.7, p_e 0.5, kappa 0.4) and the MT-Bench-shaped 3×3 one", () => {
    const rows = (label: Verdict, verdict: Verdict, n: number) => Array.from({ length: n }, () => ({ label, verdict }));
    const k = cohensKappa([...rows("A", "A", 20), ...rows("A", "B", 5), ...rows("B", "A", 10), ...rows("B", "B", 15)]);
    expect(k.observed_agreement).toBeCloseTo(0.7, 12);
    expect(k.expected_agreement).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    expect(k.confusion.matrix).toEqual([[20, 5, 0], [10, 15, 0], [0, 0, 0]]);
    // Fleiss, Cohen & Everitt (1969) by hand: (0.10972 + 0.36·0.283 − 0.1²) / (50 · 0.5²) = 0.016128, SE 0.12700.
    expect(k.ci95![1] - k.kappa!).toBeCloseTo(1.959964 * Math.sqrt(0.016128), 6);
    const k3 = cohensKappa([...rows("A", "A", 3), ...rows("B", "B", 1), ...rows("tie", "A", 2), { label: "B", verdict: null }]);
    expect(k3).toMatchObject({ n: 6, no_verdict: 1 });
    expect(k3.kappa).toBeCloseTo(0.4, 12);
    expect(cohensKappa(rows("A", "A", 4)).kappa).toBeNull(); // one class only: undefined
  });
});

describe("stratified sample", () => {
  it("gives each subset its share of `limit` (largest remainder) and everything when limit covers it", () => {
    expect(stratifiedQuota({ a: 50, b: 30, c: 20 }, 10)).toEqual({ a: 5, b: 3, c: 2 });
    expect(stratifiedQuota({ a: 2, b: 1 }, 2)).toEqual({ a: 1, b: 1 });
    expect(stratifiedQuota({ a: 2, b: 1 }, 5)).toBeNull();
  });
});
