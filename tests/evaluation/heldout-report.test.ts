import { describe, expect, it } from "vitest";
import { heldoutReport, type HeldoutProbeUnit } from "../../src/evaluation/heldout-report";

// Agreement with humans and bias probes of a held-out evaluation, on five hand-made units whose
// right answers are worked out by hand below.

type V = "A" | "B" | "tie";
const unit = (i: number, label: V, ab: V, ba: V, verdict: V, lenA: number, lenB: number, source: string, judgment: string | null): HeldoutProbeUnit => ({
  itemId: `item-${i}`,
  label,
  verdict,
  source,
  sourceJudgmentId: judgment,
  lenA,
  lenB,
  outputs: [
    { order: "ab", vote: ab },
    { order: "ba", vote: ba },
  ],
});

const units = [
  unit(1, "A", "A", "A", "A", 10, 5, "human", "j1"), // right; better is longer
  unit(2, "A", "A", "B", "tie", 5, 10, "human", "j2"), // orders disagree → tie, wrong; better is shorter
  unit(3, "B", "B", "B", "B", 3, 9, "human", null), // right; better is longer
  unit(4, "B", "A", "A", "A", 20, 4, "synthetic", null), // wrong; better is shorter
  unit(5, "tie", "tie", "tie", "tie", 5, 5, "human", null), // right; equal lengths
];

describe("held-out evaluation report", () => {
  const r = heldoutReport(units, { swap: true });

  it("bias probes", () => {
    // Flip: only unit 2's orders disagree → 1/5.
    expect(r.bias.position_flip_rate).toMatchObject({ n: 5, score: 0.2 });
    // First position (order ab: A is first; order ba: B is first), decisive votes only:
    // u1 ab A→1, ba A→0; u2 ab A→1, ba B→1; u3 ab B→0, ba B→1; u4 ab A→1, ba A→0 → 5/8.
    expect(r.bias.first_position_preference).toMatchObject({ n: 8, score: 0.625 });
    // Better longer: u1 right, u3 right → 2/2; better shorter: u2 wrong, u4 wrong → 0/2.
    expect(r.bias.length.accuracy_when_better_is_longer).toMatchObject({ n: 2, score: 1 });
    expect(r.bias.length.accuracy_when_better_is_shorter).toMatchObject({ n: 2, score: 0 });
    // Decisive verdicts on unequal lengths: u1 A (longer), u3 B (longer), u4 A (longer) → 3/3.
    expect(r.bias.length.longer_win_rate).toMatchObject({ n: 3, score: 1 });
    expect(r.bias.rewardbench_alpacaeval_length).toBeNull();
  });

  it("agreement with the human-labelled units only", () => {
    const a = r.agreement!;
    // Human units 1, 2, 3, 5. Rows human A/B/tie, columns judge A/B/tie.
    expect(a.confusion.matrix).toEqual([
      [1, 0, 1],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(a.n).toBe(4);
    // po = 3/4; rows .5 .25 .25, cols .25 .25 .5 → pe = .125 + .0625 + .125 = .3125;
    // kappa = (.75 − .3125) / (1 − .3125) = 7/11.
    expect(a.observed_agreement).toBeCloseTo(0.75, 12);
    expect(a.expected_agreement).toBeCloseTo(0.3125, 12);
    expect(a.kappa).toBeCloseTo(7 / 11, 12);
    expect(a.ci95![0]).toBeLessThan(7 / 11);
    expect(a.ci95![1]).toBeGreaterThan(7 / 11);
    // The one disagreement, with the served judgment its label came from.
    expect(a.disagreements).toEqual({ total: 1, id_kind: "heldout_item", items: [{ id: "item-2", label: "A", verdict: "tie", judgment_id: "j2" }] });
  });

  it("no human labels: no agreement; no swap: no flip rate", () => {
    const single = heldoutReport(
      units.filter((u) => u.source !== "human").map((u) => ({ ...u, outputs: u.outputs!.filter((o) => o.order === "ab") })),
      { swap: false },
    );
    expect(single.agreement).toBeNull();
    expect(single.bias.position_flip_rate).toBeNull();
    // u4 shown once, ab → A, A first → 1/1.
    expect(single.bias.first_position_preference).toMatchObject({ n: 1, score: 1 });
  });
});
