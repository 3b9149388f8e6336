import { describe, expect, it } from "vitest";
import { biasProbes, humanAgreement } from "../../src/benchmarks/agreement";
import type { BenchUnit } from "../../src/benchmarks/stats";
import { ExtraSections } from "../../src/ui/pages/evaluation-sections";

// An evaluation's agreement and bias sections read as a person expects: kappa with its interval,
// a confusion table in human × judge order, disagreeing judgments linked, and each bias probe
// named with what it means — computed by the same functions the evaluation uses.

const html = (result: Record<string, unknown>) => String(ExtraSections({ result, names: ["v2", "v1"] }));
const cells = (s: string, testid: string) => {
  const table = s.slice(s.indexOf(`data-testid="${testid}"`));
  return [...table.slice(0, table.indexOf("</table>")).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
};

describe("evaluation result sections", () => {
  it("agreement: kappa, confusion rows human A/B/tie × judge A/B/tie, disagreements linked to judgments", () => {
    const units = [
      { itemId: "i1", label: "A" as const, verdict: "A" as const, judgmentId: "11111111-1111-4111-8111-111111111111" },
      { itemId: "i2", label: "A" as const, verdict: "B" as const, judgmentId: "22222222-2222-4222-8222-222222222222" },
      { itemId: "i3", label: "B" as const, verdict: "B" as const },
      { itemId: "i4", label: "tie" as const, verdict: "A" as const },
      { itemId: "i5", label: "B" as const, verdict: null },
    ];
    const agreement = humanAgreement(units, "heldout_item");
    const out = html({ agreement });
    // 4 rated: diagonal A→A 1, B→B 1; off-diagonal A→B 1, tie→A 1. po = 0.5;
    // rows (A .5, B .25, tie .25), cols (A .5, B .5, tie 0): pe = .25 + .125 = .375; kappa = .125/.625 = 0.2.
    expect(out).toContain("Agreement with human labels");
    expect(out).toContain("<strong>0.200</strong>");
    expect(out).toContain("50.0%");
    expect(out).toContain("chance: 37.5%");
    expect(out).toContain("1 without");
    expect(cells(out, "confusion-matrix")).toEqual(["1", "1", "0", "0", "1", "0", "1", "0", "0"]);
    expect(out).toContain('href="/ui/judgments/22222222-2222-4222-8222-222222222222"');
    expect(out).toContain("heldout_item i4");
    expect(out).not.toContain("/ui/judgments/11111111");
  });

  it("bias: every probe named with its rate, interval and n; without both orders the flip rate says why it is missing", () => {
    const unit = (ab: "A" | "B", ba: "A" | "B", label: "A" | "B", lenA: number, lenB: number): BenchUnit =>
      ({ itemId: "x", subset: "s", label, verdict: ab === ba ? ab : "tie", orders: { ab, ba }, lenA, lenB }) as unknown as BenchUnit;
    const units = [unit("A", "A", "A", 10, 5), unit("A", "B", "A", 10, 5), unit("B", "B", "B", 3, 9), unit("A", "A", "B", 20, 5)];
    const out = html({ bias: biasProbes(units, { swap: true, rewardbench: false }) });
    expect(out).toContain("Bias probes");
    expect(out).toContain("Position flip rate");
    // 1 of 4 pairs flips between orders.
    expect(out).toMatch(/Position flip rate<div[^>]*>[^<]*<\/div><\/td><td[^>]*><span><strong>25\.0%<\/strong>/);
    expect(out).toContain("50% is unbiased");
    expect(out).toContain("Longer answer&#39;s win rate");
    const noSwap = html({ bias: biasProbes(units, { swap: false, rewardbench: false }) });
    expect(noSwap).toContain("needs both orders");
    // No pair where the better answer is the shorter one: no rate, not a "0.0%".
    const longerOnly = html({ bias: biasProbes(units.slice(0, 3), { swap: true, rewardbench: false }) });
    expect(longerOnly).toMatch(/Accuracy, better answer shorter<div[^>]*>[^<]*<\/div><\/td><td[^>]*><span class="muted">— \(no items\)<\/span>/);
  });

  it("anything else (benchmark scores) stays a table of rates with intervals, candidate beside baseline", () => {
    const score = (s: number, n: number) => ({ score: s, n, ci95: [s - 0.1, s + 0.1] });
    const out = html({
      benchmark: { sections: { Chat: score(0.9, 358) } },
      baseline_report: { benchmark: { sections: { Chat: score(0.8, 358) } } },
      dataset: { name: "rewardbench" },
    });
    expect(out).toContain("Benchmark scores (official rules) · rewardbench");
    expect(out).toContain("<h3>v2</h3>");
    expect(out).toContain("<h3>v1</h3>");
    expect(out).toContain("90.0%");
    expect(out).toContain("80.0%");
    expect(out).toContain("n = 358");
  });
});
