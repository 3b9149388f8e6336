import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgmentFor, oracleLetter, type Letter } from "../fake-llm/judges";
import type { VerdictProbs } from "../fake-llm/logprobs";
import { startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "./fixtures";

/**
 * Judges told apart by model. `good` is where the GOOD answer is shown (A: first); each returns
 * the letter it writes and the probabilities its verdict token carries (judge's own frame).
 */
const MODELS: Record<string, (good: Letter) => { letter: Letter; probs: VerdictProbs }> = {
  // Right in both orders, surer when the good answer is shown first.
  lp: (g) => (g === "A" ? { letter: "A", probs: { A: 0.8, B: 0.15, C: 0.05 } } : { letter: "B", probs: { A: 0.3, B: 0.6, C: 0.1 } }),
  // Always the first answer.
  first: () => ({ letter: "A", probs: { A: 0.8, B: 0.1, C: 0.1 } }),
  // Jury members: one right, one wrong, both mirror-symmetric across orders.
  heavy: (g) => (g === "A" ? { letter: "A", probs: { A: 0.8, B: 0.15, C: 0.05 } } : { letter: "B", probs: { A: 0.15, B: 0.8, C: 0.05 } }),
  light: (g) => (g === "A" ? { letter: "B", probs: { A: 0.2, B: 0.7, C: 0.1 } } : { letter: "A", probs: { A: 0.7, B: 0.2, C: 0.1 } }),
};

const behavior: Behavior = (req, ctx) => {
  const good = oracleLetter(req);
  const model = req.model === "drop" ? "lp" : req.model;
  const { letter, probs } = MODELS[model]!(good);
  return {
    scored: Array.from({ length: ctx.choices }, () => ({ text: judgmentFor(req, letter), probs, logprobs: req.model !== "drop" })),
  };
};

let fake: FakeLlm;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeLlm({ behavior });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function register(body: Record<string, unknown>) {
  const res = await t.call("POST", "/v1/versions", body);
  expect(res.status, res.text).toBe(201);
  return res.json.name as string;
}

describe("confidence from log-probabilities", () => {
  it("with params.logprobs the judge asks for top_logprobs and confidence is the verdict's probability over both orders", async () => {
    const version = await register({ model: "lp", params: { logprobs: true } });
    const before = fake.chatRequests().length;
    const body = { ...pair("a"), version };
    const res = await t.call("POST", "/v1/judge", body);
    expect(res.status, res.text).toBe(200);
    const sent = fake.chatRequests().slice(before);
    expect(sent).toHaveLength(2);
    for (const r of sent) expect(r).toMatchObject({ logprobs: true, top_logprobs: 5 });
    // ab (caller's A shown first): A .8, B .15, tie .05. ba: the judge's B is the caller's A,
    // so A .6, B .3, tie .1. Mean of the orders: A .7, B .225, tie .075.
    expect(res.json).toMatchObject({ verdict: "A", confidence_source: "logprobs", position_consistent: true });
    expect(res.json.confidence).toBeCloseTo(0.7, 5);
    expect(res.json.verdict_probabilities.A).toBeCloseTo(0.7, 5);
    expect(res.json.verdict_probabilities.B).toBeCloseTo(0.225, 5);
    expect(res.json.verdict_probabilities.tie).toBeCloseTo(0.075, 5);

    const stored = await t.call("GET", `/v1/judgments/${res.json.id}`);
    expect(stored.json).toMatchObject({ confidence_source: "logprobs", verdict_probabilities: res.json.verdict_probabilities });
    expect(stored.json.confidence).toBeCloseTo(0.7, 5);
    const byOrder = Object.fromEntries(stored.json.raw_outputs.map((o: any) => [o.order, o.probabilities]));
    expect(byOrder.ab.A).toBeCloseTo(0.8, 5);
    expect(byOrder.ba.A).toBeCloseTo(0.6, 5);
    const list = await t.call("GET", `/v1/judgments?version=${version}`);
    expect(list.json.data[0]).toMatchObject({ confidence_source: "logprobs" });

    const again = await t.call("POST", "/v1/judge", body);
    expect(again.json).toMatchObject({ cached: true, confidence_source: "logprobs", verdict_probabilities: res.json.verdict_probabilities });
  });

  it("several samples: each order's mean, then the mean of both orders", async () => {
    const version = await register({ model: "lp", params: { logprobs: true, samples: 3 } });
    const res = await t.call("POST", "/v1/judge", { ...pair("b"), version });
    expect(res.status, res.text).toBe(200);
    // GOOD is response_b: ab shows it second (judge says B .6 → caller B .6, A .3), ba shows it
    // first (judge A .8 → caller B .8, A .15). B = (.6 + .8) / 2 = .7, vote share would be 1.
    expect(res.json).toMatchObject({ verdict: "B", confidence_source: "logprobs", votes: { B: 6 } });
    expect(res.json.confidence).toBeCloseTo(0.7, 5);
    expect(res.json.verdict_probabilities.A).toBeCloseTo(0.225, 5);
  });

  it("a position-inconsistent judge: the tie's confidence is the tie probability of the combined distribution", async () => {
    const version = await register({ model: "first", params: { logprobs: true } });
    const res = await t.call("POST", "/v1/judge", { ...pair("a"), version });
    // ab: A .8, B .1, tie .1; ba (the judge's A is the caller's B): A .1, B .8, tie .1.
    expect(res.json).toMatchObject({ verdict: "tie", position_consistent: false, confidence_source: "logprobs" });
    expect(res.json.confidence).toBeCloseTo(0.1, 5);
    expect(res.json.verdict_probabilities.A).toBeCloseTo(0.45, 5);
    expect(res.json.verdict_probabilities.B).toBeCloseTo(0.45, 5);
  });

  it("without the param no log-probs are asked for and confidence stays the vote share", async () => {
    const version = await register({ model: "lp" });
    const before = fake.chatRequests().length;
    const res = await t.call("POST", "/v1/judge", { ...pair("a"), version });
    for (const r of fake.chatRequests().slice(before)) {
      expect(r.logprobs).toBeUndefined();
      expect(r.top_logprobs).toBeUndefined();
    }
    expect(res.json).toMatchObject({ verdict: "A", confidence: 1, confidence_source: "votes", verdict_probabilities: null });
  });

  it("a provider that sends no log-probs falls back to the vote share and says so", async () => {
    const version = await register({ model: "drop", params: { logprobs: true } });
    const res = await t.call("POST", "/v1/judge", { ...pair("a"), version });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ verdict: "A", confidence: 1, confidence_source: "votes", verdict_probabilities: null });
  });

  it("a jury: majority by weight, confidence from the weight-averaged member probabilities; members carry summaries only", async () => {
    const version = await register({ members: [{ model: "heavy", weight: 2 }, { model: "light" }], params: { logprobs: true } });
    const res = await t.call("POST", "/v1/judge", { ...pair("a"), version });
    expect(res.status, res.text).toBe(200);
    // heavy: A .8, B .15, tie .05 (weight 2); light: A .2, B .7, tie .1 (weight 1).
    // A = (2·.8 + .2)/3 = .6; B = (2·.15 + .7)/3 = 1/3; tie = (2·.05 + .1)/3 = 1/15.
    expect(res.json).toMatchObject({ verdict: "A", confidence_source: "logprobs" });
    expect(res.json.confidence).toBeCloseTo(0.6, 5);
    expect(res.json.verdict_probabilities.B).toBeCloseTo(1 / 3, 5);
    expect(res.json.verdict_probabilities.tie).toBeCloseTo(1 / 15, 5);
    const [heavy, light] = res.json.members;
    expect(heavy).toMatchObject({ model: "heavy", verdict: "A", confidence_source: "logprobs" });
    expect(heavy.confidence).toBeCloseTo(0.8, 5);
    expect(light).toMatchObject({ model: "light", verdict: "B", confidence_source: "logprobs" });
    expect(light.confidence).toBeCloseTo(0.7, 5);
    const stored = await t.call("GET", `/v1/judgments/${res.json.id}`);
    for (const m of stored.json.members) {
      expect(Object.keys(m).sort()).toEqual(
        ["confidence", "confidence_source", "member", "model", "position_consistent", "verdict", "verdict_probabilities", "votes", "weight"],
      );
    }
    expect(stored.json.raw_outputs).toHaveLength(4);
  });

  it("rejects a non-boolean logprobs param with a 422 and registers nothing", async () => {
    const before = await t.call("GET", "/v1/versions");
    const res = await t.call("POST", "/v1/versions", { model: "lp", params: { logprobs: "yes" } });
    expect(res.status).toBe(422);
    const after = await t.call("GET", "/v1/versions");
    expect(after.json.data.length).toBe(before.json.data.length);
  });
});
