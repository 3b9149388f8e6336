import { describe, expect, it } from "vitest";
import { renderEvaluation } from "../../src/cli/commands/eval";

type Evaluation = Parameters<typeof renderEvaluation>[0];

const metrics = (accuracy: number, calibration?: Record<string, unknown>) => ({
  n: 40,
  accuracy,
  ci95: [accuracy - 0.1, accuracy + 0.05],
  position_consistent_accuracy: accuracy,
  no_verdict: 0,
  llm_failures: 0,
  ...(calibration ? { calibration } : {}),
});

function evaluation(candidate: unknown, baseline: unknown): Evaluation {
  return {
    id: "e1",
    status: "completed",
    candidate: { name: "v4" },
    baseline: { name: "v3" },
    dataset: null,
    progress: { done: 40, total: 40 },
    error: null,
    result: { candidate, baseline, comparison: null, decision: null, applied: null },
  } as unknown as Evaluation;
}

describe("eval show: calibration section", () => {
  it("shows each version's ECE, the items it counts and the confidence source", () => {
    const out = renderEvaluation(
      evaluation(
        metrics(0.8, { n: 38, bins_count: 10, ece: 0.01234, source: "logprobs", reliability: [] }),
        metrics(0.7, { n: 40, bins_count: 10, ece: 0.3, source: "mixed", reliability: [] }),
      ),
    );
    expect(out).toContain("calibration (expected calibration error, 10 bins; 0 is perfect)\nVERSION  ECE    N   SOURCE\n");
    expect(out).toMatch(/^v4\s+0\.012\s+38\s+logprobs$/m);
    expect(out).toMatch(/^v3\s+0\.300\s+40\s+mixed$/m);
  });

  it("no items with a verdict: no ECE to show; an evaluation stored before calibration existed: no section", () => {
    const empty = renderEvaluation(evaluation(metrics(0, { n: 0, bins_count: 10, ece: 0, source: null, reliability: [] }), null));
    expect(empty).toMatch(/^v4\s+-\s+0\s+-$/m);
    const old = renderEvaluation(evaluation(metrics(0.8), metrics(0.7)));
    expect(old).not.toContain("calibration");
    expect(old).toMatch(/^v4\s+40\s+80\.0%/m);
  });
});
