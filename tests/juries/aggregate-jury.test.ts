import { describe, expect, it } from "vitest";
import { aggregateJury, type MemberResult } from "../../src/judging/jury";

const r = (verdict: MemberResult["verdict"], consistent = true): MemberResult => ({
  verdict,
  confidence: verdict === null ? 0 : 1,
  position_consistent: consistent,
  votes: { A: verdict === "A" ? 2 : 0, B: verdict === "B" ? 2 : 0, tie: verdict === "tie" ? 2 : 0, invalid: verdict === null ? 2 : 0 },
});
const members = (...weights: number[]) => weights.map((w, i) => ({ model: `m${i}`, weight: w }));

describe("aggregateJury", () => {
  it("is the weighted majority of the members' verdicts, with every member's vote reported", () => {
    const out = aggregateJury(members(1, 1, 1), [r("A"), r("A"), r("B")]);
    expect(out.verdict).toBe("A");
    expect(out.confidence).toBeCloseTo(2 / 3);
    expect(out.position_consistent).toBe(true);
    expect(out.votes).toEqual({ A: 4, B: 2, tie: 0, invalid: 0 });
    expect(out.members.map((m) => [m.member, m.model, m.weight, m.verdict])).toEqual([
      [0, "m0", 1, "A"],
      [1, "m1", 1, "A"],
      [2, "m2", 1, "B"],
    ]);
    // A heavier member outvotes two light ones.
    expect(aggregateJury(members(1, 1, 3), [r("A"), r("A"), r("B")]).verdict).toBe("B");
    expect(aggregateJury(members(1, 1, 3), [r("A"), r("A"), r("B")]).confidence).toBeCloseTo(3 / 5);
  });

  it("equal top weights are a tie; a member without a verdict abstains; no verdict at all is null", () => {
    expect(aggregateJury(members(1, 1), [r("A"), r("B")])).toMatchObject({ verdict: "tie", confidence: 0 });
    expect(aggregateJury(members(1, 1), [r("A"), r("tie")])).toMatchObject({ verdict: "tie", confidence: 0.5 });
    expect(aggregateJury(members(1, 1, 1), [r(null), r("B"), r("B")])).toMatchObject({ verdict: "B", confidence: 1 });
    expect(aggregateJury(members(1, 1), [r(null), r(null)])).toMatchObject({ verdict: null, confidence: 0, position_consistent: false });
  });

  it("is position-consistent only when every voting member was; weight defaults to 1", () => {
    expect(aggregateJury(members(1, 1, 1), [r("A"), r("A", false), r("A")]).position_consistent).toBe(false);
    expect(aggregateJury([{ model: "x" }, { model: "y" }, { model: "z" }], [r("B"), r("B"), r("A")]).members[0]!.weight).toBe(1);
  });
});
