import { describe, expect, it } from "vitest";
import { judgebenchScores, type Verdict } from "../../src/benchmarks";
import { cycle, judgedUnits, type Judged } from "./published-units";

// JudgeBench published rows, reproduced through the real import mapping (mapRecord: `source` →
// category) and the official scoring (utils/metrics.py compute_final_metrics with reverse_order,
// run_judge.py prints each category and then "Overall" over ALL pairs, not the mean of categories).
//
// Source: JudgeBench paper (Tan et al., ICLR 2025, arXiv 2410.12784), Table 2 "Evaluating the
// Arena-Hard Judge on JudgeBench, with different underlying models", GPT-4o response pairs:
// 350 pairs = 154 knowledge (MMLU-Pro), 98 reasoning, 56 math (LiveBench), 42 coding (LiveCodeBench).
//   GPT-4o:     50.65 54.08 75.00 59.52 | overall 56.57
//   o1-preview: 66.23 79.59 85.71 85.71 | overall 75.43
// Hand-computed correct counts behind the percentages:
//   GPT-4o:     78/154 = 50.649, 53/98 = 54.082, 42/56 = 75.000, 25/42 = 59.524; (78+53+42+25)/350 = 198/350 = 56.571
//               (the mean of the four categories would be 59.81: the overall is over pairs)
//   o1-preview: 102/154 = 66.234, 78/98 = 79.592, 48/56 = 85.714, 36/42 = 85.714; 264/350 = 75.429

const MMLU_PRO_SUBJECTS = [
  "biology", "business", "chemistry", "computer science", "economics", "engineering", "health",
  "history", "law", "math", "other", "philosophy", "physics", "psychology",
];
const SIZES = { knowledge: 154, reasoning: 98, math: 56, coding: 42 } as const;
type Category = keyof typeof SIZES;

/** data/dataset=judgebench,response_model=gpt-4o-2024-05-13.jsonl layout: 350 rows, sources as published. */
function judgebenchFile() {
  const rows: Array<Record<string, unknown>> = [];
  const add = (source: string, i: number) =>
    rows.push({
      pair_id: `pair-${rows.length}`,
      original_id: String(1000 + rows.length),
      source,
      question: `${source} question ${i}`,
      response_model: "gpt-4o-2024-05-13",
      response_A: `response A to ${source} ${i}`,
      response_B: `response B to ${source} ${i}`,
      label: rows.length % 3 === 0 ? "B>A" : "A>B",
    });
  for (let i = 0; i < SIZES.knowledge; i++) add(`mmlu-pro-${cycle(MMLU_PRO_SUBJECTS, i)}`, i);
  for (let i = 0; i < SIZES.reasoning; i++) add("livebench-reasoning", i);
  for (let i = 0; i < SIZES.math; i++) add("livebench-math", i);
  for (let i = 0; i < SIZES.coding; i++) add("livecodebench", i);
  return rows;
}

/**
 * The first `correct[category]` pairs of each category are judged right in one of the ways
 * JudgeBench counts as correct, the rest in one of the ways it does not (label L, other answer O).
 */
function judge(correct: Record<Category, number>) {
  const seen: Record<string, number> = {};
  const right = (L: Verdict): Judged[] => [{ ab: L, ba: L }, { ab: L, ba: "tie" }, { ab: "tie", ba: L }, { ab: null, ba: L }];
  const wrong = (L: Verdict, O: Verdict): Judged[] => [
    { ab: L, ba: O }, // inconsistent: net 0
    { ab: O, ba: O },
    { ab: "tie", ba: "tie" },
    { ab: O, ba: L },
    { ab: "tie", ba: O },
    { ab: null, ba: null },
  ];
  return (item: { subset: string; label: Verdict }): Judged => {
    const k = (seen[item.subset] = (seen[item.subset] ?? -1) + 1);
    const other: Verdict = item.label === "A" ? "B" : "A";
    const c = correct[item.subset as Category];
    return k < c ? cycle(right(item.label), k) : cycle(wrong(item.label, other), k - c);
  };
}

const pct = (x: number) => (100 * x).toFixed(2);

describe("JudgeBench published rows (paper Table 2, Arena-Hard judge, GPT-4o pairs)", () => {
  const rows = [
    { judge: "GPT-4o", correct: { knowledge: 78, reasoning: 53, math: 42, coding: 25 }, published: ["50.65", "54.08", "75.00", "59.52"], overall: "56.57" },
    { judge: "o1-preview", correct: { knowledge: 102, reasoning: 78, math: 48, coding: 36 }, published: ["66.23", "79.59", "85.71", "85.71"], overall: "75.43" },
  ];
  it.each(rows)("reproduces the $judge row: per category and overall over all 350 pairs", ({ correct, published, overall }) => {
    const units = judgedUnits("judgebench", judgebenchFile(), judge(correct));
    const r = judgebenchScores(units);
    const cats: Category[] = ["knowledge", "reasoning", "math", "coding"];
    expect(Object.keys(r.categories).sort()).toEqual([...cats].sort());
    cats.forEach((c, i) => {
      expect(r.categories[c]).toMatchObject({ n: SIZES[c], score: correct[c] / SIZES[c] });
      expect(pct(r.categories[c]!.score)).toBe(published[i]);
    });
    const total = Object.values(correct).reduce((a, b) => a + b, 0);
    expect(r.overall).toMatchObject({ n: 350, score: total / 350 });
    expect(pct(r.overall.score)).toBe(overall);
    expect(r.overall.ci95[0]).toBeLessThan(r.overall.score);
    expect(r.overall.ci95[1]).toBeGreaterThan(r.overall.score);
    // Per source: the 14 MMLU-Pro subjects and the three others, together all 350 pairs.
    expect(Object.keys(r.sources)).toHaveLength(17);
    expect(Object.values(r.sources).reduce((s, x) => s + x.n, 0)).toBe(350);
    expect(r.sources["mmlu-pro-law"]!.n).toBe(11);
  });
});
