import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractAnswers, judgmentFor, oracleLetter, type Letter } from "../fake-llm/judges";
import { startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { heldoutItems, waitDone } from "./helpers";

/**
 * Ten held-out items (q question 0 … 9). Both judges answer the same way in both orders, so
 * every verdict is position-consistent and its combined probability is the one given here.
 * - "calib" (log-probs): items 0-4 right with p .9; items 5-7 right and 8-9 wrong, with p .65.
 * - "fake-judge" (the seed version, no log-probs): right on items 0-6, wrong on 7-9; vote share 1.
 */
const flip = (l: Letter): Letter => (l === "A" ? "B" : l === "B" ? "A" : "C");

const behavior: Behavior = (req, ctx) => {
  const item = Number(/question (\d+)/.exec(extractAnswers(req)?.question ?? "")?.[1]);
  const good = oracleLetter(req);
  if (req.model !== "calib") return judgmentFor(req, item <= 6 ? good : flip(good));
  const p = item <= 4 ? 0.9 : 0.65;
  const letter = item <= 7 ? good : flip(good);
  const probs = { A: 0, B: 0, C: 0.05 };
  probs[letter as "A" | "B"] = p;
  probs[flip(letter) as "A" | "B"] = 0.95 - p;
  return { scored: Array.from({ length: ctx.choices }, () => ({ text: judgmentFor(req, letter), probs })) };
};

let fake: FakeLlm;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeLlm({ behavior });
  t = await createTestApp({ llmUrl: fake.url, jobs: true });
  const res = await t.call("POST", "/v1/heldout", { items: heldoutItems(10) });
  expect(res.json.inserted).toBe(10);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe("calibration in evaluations", () => {
  it("reports ECE (10 bins) and a reliability table per version, from log-prob or vote-share confidence", async () => {
    const cand = await t.call("POST", "/v1/versions", { model: "calib", params: { logprobs: true } });
    expect(cand.status, cand.text).toBe(201);
    const created = await t.call("POST", "/v1/evaluations", { version: cand.json.name });
    expect(created.status, created.text).toBe(202);
    const done = await waitDone(t, created.json.id);
    expect(done.status, done.error).toBe("completed");

    // Candidate: bin [0.6, 0.7) holds items 5-9 (confidence .65, 3 of 5 right); bin [0.9, 1]
    // holds items 0-4 (confidence .9, all right). ECE = .5·|.6 − .65| + .5·|1 − .9| = .075.
    const c = done.result.candidate.calibration;
    expect(c).toMatchObject({ n: 10, bins_count: 10, source: "logprobs" });
    expect(c.ece).toBeCloseTo(0.075, 6);
    expect(c.reliability).toHaveLength(10);
    const filled = c.reliability.filter((b: any) => b.n > 0);
    expect(filled.map((b: any) => [b.lo, b.n])).toEqual([
      [0.6, 5],
      [0.9, 5],
    ]);
    expect(filled[0].mean_confidence).toBeCloseTo(0.65, 6);
    expect(filled[0].accuracy).toBeCloseTo(0.6, 12);
    expect(filled[1].mean_confidence).toBeCloseTo(0.9, 6);
    expect(filled[1].accuracy).toBe(1);
    expect(c.reliability[0]).toEqual({ lo: 0, hi: 0.1, n: 0, mean_confidence: null, accuracy: null });

    // Baseline: every confidence is 1 (one vote per order, both agree), 7 of 10 right: ECE .3.
    const b = done.result.baseline.calibration;
    expect(b).toMatchObject({ n: 10, source: "votes" });
    expect(b.ece).toBeCloseTo(0.3, 12);
    expect(b.reliability[9]).toMatchObject({ lo: 0.9, hi: 1, n: 10, mean_confidence: 1, accuracy: 0.7 });

    // The versions carry their latest ECE next to their accuracy.
    const v = await t.call("GET", `/v1/versions/${cand.json.name}`);
    expect(v.json.metrics).toMatchObject({ confidence_source: "logprobs" });
    expect(v.json.metrics.ece).toBeCloseTo(0.075, 6);
  });
});
