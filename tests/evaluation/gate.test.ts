import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rollbackTarget } from "../../src/versions/activation";
import { decideGate, type GateParams } from "../../src/evaluation/gate";
import { evaluationResult, isCorrect, type ScoredUnit } from "../../src/evaluation/metrics";

const PARAMS: GateParams = { min_delta: 0.01, alpha: 0.05, consistency_tolerance: 0.02 };

describe("promotion gate", () => {
  it("promotes only when all three checks pass", () => {
    const ok = decideGate({ n: 500, delta: 0.05, p_value: 0.001, consistency_delta: 0.03 }, PARAMS);
    expect(ok.decision).toBe("promote");
    expect(ok.checks.delta.passed && ok.checks.p_value.passed && ok.checks.consistency.passed).toBe(true);

    const small = decideGate({ n: 500, delta: 0.005, p_value: 0.001, consistency_delta: 0 }, PARAMS);
    expect(small.decision).toBe("reject");
    expect(small.checks.delta.passed).toBe(false);

    const noisy = decideGate({ n: 500, delta: 0.05, p_value: 0.05, consistency_delta: 0 }, PARAMS);
    expect(noisy.decision).toBe("reject");
    expect(noisy.checks.p_value.passed).toBe(false); // p must be strictly below alpha

    const lessConsistent = decideGate({ n: 500, delta: 0.05, p_value: 0.001, consistency_delta: -0.03 }, PARAMS);
    expect(lessConsistent.decision).toBe("reject");
    expect(lessConsistent.checks.consistency.passed).toBe(false);
    expect(lessConsistent.reasons.join(" ")).toMatch(/drops more than the tolerance/);
  });

  it("treats the thresholds as inclusive where documented, despite float rounding", () => {
    // 0.51 - 0.50 is 0.010000000000000009 in floats, 0.58 - 0.57 is 0.00999999999999…
    expect(decideGate({ n: 100, delta: 0.58 - 0.57, p_value: 0.01, consistency_delta: 0 }, PARAMS).decision).toBe("promote");
    expect(decideGate({ n: 100, delta: 0.05, p_value: 0.01, consistency_delta: -(0.6 - 0.58) }, PARAMS).decision).toBe("promote");
  });

  it("never promotes on zero items", () => {
    const d = decideGate({ n: 0, delta: 1, p_value: 0, consistency_delta: 0 }, PARAMS);
    expect(d.decision).toBe("reject");
    expect(d.reasons[0]).toMatch(/no held-out item/);
  });

  it("is monotone: a better candidate is never refused where a worse one passed", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -0.1, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (delta, p, cons, bump) => {
          const a = decideGate({ n: 100, delta, p_value: p, consistency_delta: cons }, PARAMS);
          const b = decideGate({ n: 100, delta: delta + bump, p_value: p * (1 - bump), consistency_delta: cons + bump }, PARAMS);
          if (a.decision === "promote") expect(b.decision).toBe("promote");
        },
      ),
    );
  });
});

function unit(itemId: string, label: "A" | "B" | "tie", verdict: "A" | "B" | "tie" | null, consistent = true, extra: Partial<ScoredUnit> = {}): ScoredUnit {
  const correct = isCorrect(label, verdict);
  return {
    itemId,
    label,
    category: itemId.startsWith("m") ? "math" : null,
    source: "import",
    verdict,
    correct,
    consistentCorrect: correct && consistent,
    invalidVotes: verdict === null ? 2 : 0,
    totalVotes: 2,
    ...extra,
  };
}

describe("evaluation metrics", () => {
  it("scores ties strictly: a tie label needs a tie verdict, a tie verdict is wrong for A/B", () => {
    expect(isCorrect("tie", "tie")).toBe(true);
    expect(isCorrect("tie", "A")).toBe(false);
    expect(isCorrect("A", "tie")).toBe(false);
    expect(isCorrect("A", null)).toBe(false);
  });

  it("computes per-version numbers and the paired comparison on identical items", () => {
    const cand = [unit("m1", "A", "A"), unit("m2", "B", "B"), unit("x3", "tie", "tie"), unit("x4", "A", "A", false), unit("x5", "B", null)];
    const base = [unit("m1", "A", "A"), unit("m2", "B", "A"), unit("x3", "tie", "A"), unit("x4", "A", "B"), unit("x5", "B", "B")];
    const r = evaluationResult(cand, base, { swap: true, gate: PARAMS });
    expect(r.n).toBe(5);
    expect(r.candidate.correct).toBe(4);
    expect(r.candidate.accuracy).toBeCloseTo(0.8);
    expect(r.candidate.position_consistent_correct).toBe(3);
    expect(r.candidate.no_verdict).toBe(1);
    expect(r.candidate.invalid_output_rate).toBeCloseTo(2 / 10);
    expect(r.baseline.accuracy).toBeCloseTo(0.4);
    expect(r.candidate.by_category).toEqual({
      math: { n: 2, correct: 2, accuracy: 1 },
      uncategorized: { n: 3, correct: 2, accuracy: 2 / 3 },
    });
    expect(r.comparison).toMatchObject({ both_correct: 1, candidate_only_correct: 3, baseline_only_correct: 1, both_wrong: 0 });
    expect(r.comparison.delta).toBeCloseTo(0.4);
    expect(r.comparison.p_value).toBeCloseTo(5 / 16); // P(X >= 3 | Bin(4, 1/2))
    expect(r.decision.decision).toBe("reject"); // large delta, but 5 items prove nothing
  });

  it("leaves an item out for both versions when either's LLM call failed", () => {
    const failed: Partial<ScoredUnit> = { verdict: null, correct: null, consistentCorrect: null, invalidVotes: 0, totalVotes: 0 };
    const cand = [unit("a", "A", "A"), unit("b", "A", "A"), unit("c", "A", "A", true, failed)];
    const base = [unit("a", "A", "B"), unit("b", "A", "A", true, failed), unit("c", "A", "A")];
    const r = evaluationResult(cand, base, { swap: true, gate: PARAMS });
    expect(r.n).toBe(1);
    expect(r.excluded_items).toBe(2);
    expect(r.candidate.llm_failures).toBe(1);
    expect(r.baseline.llm_failures).toBe(1);
    expect(r.comparison.candidate_only_correct).toBe(1);
  });

  it("promotes a clearly better candidate on enough items", () => {
    const cand: ScoredUnit[] = [];
    const base: ScoredUnit[] = [];
    for (let i = 0; i < 400; i++) {
      cand.push(unit(`i${i}`, "A", i < 340 ? "A" : "B"));
      base.push(unit(`i${i}`, "A", i < 300 ? "A" : "B"));
    }
    const r = evaluationResult(cand, base, { swap: true, gate: PARAMS });
    expect(r.comparison.delta).toBeCloseTo(0.1);
    expect(r.comparison.p_value).toBeLessThan(1e-9);
    expect(r.decision.decision).toBe("promote");
  });
});

describe("rollback target", () => {
  const ev = (action: string, from: string | null, to: string) => ({ action, fromVersionId: from, toVersionId: to });

  it("walks back through history instead of flipping between the last two", () => {
    const history = [ev("activate", "v1", "v2"), ev("promote", "v2", "v3")];
    expect(rollbackTarget(history, "v3")).toBe("v2");
    const after1 = [...history, ev("rollback", "v3", "v2")];
    expect(rollbackTarget(after1, "v2")).toBe("v1");
    const after2 = [...after1, ev("rollback", "v2", "v1")];
    expect(rollbackTarget(after2, "v1")).toBeNull();
  });

  it("goes back to whatever was active before an explicit activation of an old version", () => {
    const history = [ev("activate", "v1", "v2"), ev("activate", "v2", "v3"), ev("activate", "v3", "v1")];
    expect(rollbackTarget(history, "v1")).toBe("v3");
  });

  it("has nothing to roll back to without history, and refuses when history disagrees with the database", () => {
    expect(rollbackTarget([], "v1")).toBeNull();
    expect(rollbackTarget([ev("activate", "v1", "v2")], "v9")).toBeNull();
  });
});
