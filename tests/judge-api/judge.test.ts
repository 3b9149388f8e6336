import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { oracleJudge, positionBiasedJudge, noisyJudge, rateLimitOnce, extractAnswers } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "./fixtures";

let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.setBehavior(oracleJudge);
  fake.setOptions({ honoursN: true });
});

describe("POST /v1/judge", () => {
  it("gives the oracle's verdict whichever side the better answer is on", async () => {
    const a = await t.call("POST", "/v1/judge", pair("a"));
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      verdict: "A",
      confidence: 1,
      position_consistent: true,
      votes: { A: 2, B: 0, tie: 0, invalid: 0 },
      version: { name: "v1" },
      evaluator: { name: "default" },
      cached: false,
    });
    expect(a.json.reasoning).toContain("[[");
    expect(a.json.usage.llm_requests).toBe(2);
    expect(a.json.usage.prompt_tokens).toBeGreaterThan(0);
    expect(a.json.usage.completion_tokens).toBeGreaterThan(0);
    expect(typeof a.json.latency_ms).toBe("number");
    expect(Number.isNaN(Date.parse(a.json.created_at))).toBe(false);

    const b = await t.call("POST", "/v1/judge", pair("b"));
    expect(b.status).toBe(200);
    expect(b.json).toMatchObject({ verdict: "B", position_consistent: true, votes: { A: 0, B: 2 } });

    const tie = await t.call("POST", "/v1/judge", pair("none"));
    expect(tie.json).toMatchObject({ verdict: "tie", position_consistent: true, votes: { tie: 2 } });
  });

  it("shows the judge both orders when swap is on", async () => {
    const before = fake.chatRequests().length;
    const req = pair("a");
    await t.call("POST", "/v1/judge", req);
    const sent = fake.chatRequests().slice(before).map((r) => extractAnswers(r)!);
    expect(sent).toHaveLength(2);
    expect(sent.map((s) => s.a).sort()).toEqual([req.response_a, req.response_b].sort());
  });

  it("exposes a position-biased judge with swap, and follows it without", async () => {
    fake.setBehavior(positionBiasedJudge);
    const swapped = await t.call("POST", "/v1/judge", pair("b"));
    expect(swapped.status).toBe(200);
    expect(swapped.json).toMatchObject({
      verdict: "tie",
      position_consistent: false,
      votes: { A: 1, B: 1, tie: 0, invalid: 0 },
    });
    expect(swapped.json.confidence).toBe(0);

    const unswapped = await t.call("POST", "/v1/judge", pair("b", { swap: false }));
    expect(unswapped.status).toBe(200);
    expect(unswapped.json).toMatchObject({ verdict: "A", position_consistent: false, votes: { A: 1, B: 0 } });
    expect(unswapped.json.usage.llm_requests).toBe(1);
  });

  it("majority-votes a noisy judge over 5 samples per order, one request per order", async () => {
    fake.setBehavior(noisyJudge(0.8, 7));
    const before = chatCount(fake);
    const res = await t.call("POST", "/v1/judge", pair("b", { samples: 5 }));
    expect(res.status).toBe(200);
    const v = res.json.votes;
    expect(v.A + v.B + v.tie + v.invalid).toBe(10);
    expect(res.json.verdict).toBe("B");
    expect(res.json.confidence).toBeCloseTo(v.B / (v.A + v.B + v.tie));
    expect(res.json.usage.llm_requests).toBe(2);
    expect(chatCount(fake) - before).toBe(2);
    expect(fake.chatRequests().slice(before).every((r) => r.n === 5)).toBe(true);
  });

  it("still collects every sample from a provider that ignores n, and counts the requests", async () => {
    // A fresh fake so the client has not yet learnt anything about this base URL.
    const noN = await startFakeLlm({ behavior: oracleJudge, honoursN: false });
    try {
      const created = await t.call("POST", "/v1/evaluators", { name: "ignores-n", base_url: noN.url });
      expect(created.status).toBe(201);
      const res = await t.call("POST", "/v1/judge", pair("a", { evaluator: "ignores-n", samples: 3 }));
      expect(res.status).toBe(200);
      expect(res.json.votes).toEqual({ A: 6, B: 0, tie: 0, invalid: 0 });
      expect(res.json.verdict).toBe("A");
      // Per order: one n=3 request answered with 1 choice, then 2 single requests.
      expect(res.json.usage.llm_requests).toBe(6);
      expect(noN.chatRequests()).toHaveLength(6);
      expect(res.json.evaluator.name).toBe("ignores-n");
    } finally {
      await noN.close();
    }
  });

  it("recovers from a 429 followed by success", async () => {
    fake.setBehavior(rateLimitOnce(oracleJudge, { retryAfterMs: 10 }));
    const before = chatCount(fake);
    const res = await t.call("POST", "/v1/judge", pair("a"));
    expect(res.status).toBe(200);
    expect(res.json.verdict).toBe("A");
    expect(res.json.votes.A).toBe(2);
    expect(chatCount(fake) - before).toBe(3);
  });

  it("passes temperature and reference to the judge", async () => {
    const before = chatCount(fake);
    const res = await t.call("POST", "/v1/judge", pair("a", { temperature: 1.3, reference: "Paris" }));
    expect(res.status).toBe(200);
    const sent = fake.chatRequests().slice(before);
    expect(sent.every((r) => r.temperature === 1.3)).toBe(true);
    expect(sent.every((r) => JSON.stringify(r.messages).includes("Reference Answer"))).toBe(true);
  });

  it("applies a version's max_tokens to its judge requests, and refuses one too small to hold a verdict", async () => {
    const v = await t.call("POST", "/v1/versions", { model: "fake-judge", params: { max_tokens: 512 } });
    expect(v.status).toBe(201);
    expect(v.json.params).toEqual({ max_tokens: 512 });
    const before = chatCount(fake);
    const res = await t.call("POST", "/v1/judge", { ...pair("a"), version: v.json.name });
    expect(res.status).toBe(200);
    const sent = fake.chatRequests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.max_tokens === 512)).toBe(true);
    const tiny = await t.call("POST", "/v1/versions", { model: "fake-judge", params: { max_tokens: 4 } });
    expect(tiny.status).toBe(422);
  });
});
