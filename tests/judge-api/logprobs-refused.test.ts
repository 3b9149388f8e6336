import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oracleJudge } from "../fake-llm/judges";
import { errorReply, startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "./fixtures";

let fake: FakeLlm;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge, refusesLogprobs: true });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const refused = () => fake.chatRequests().filter((r) => r.logprobs !== undefined || r.top_logprobs !== undefined);

describe("/v1/judge on a logprobs version against a provider that refuses logprobs", () => {
  it("answers 200 with vote-share confidence, and only the first call of all is refused", async () => {
    const reg = await t.call("POST", "/v1/versions", { model: "o-reasoner", params: { logprobs: true } });
    expect(reg.status, reg.text).toBe(201);
    const before = fake.chatRequests().length;
    for (let i = 0; i < 3; i++) {
      const res = await t.call("POST", "/v1/judge", { ...pair(i % 2 ? "b" : "a"), version: reg.json.name });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({
        verdict: i % 2 ? "B" : "A",
        confidence: 1,
        confidence_source: "votes",
        verdict_probabilities: null,
        position_consistent: true,
      });
    }
    // 3 judgments × 2 orders, plus the one refused request.
    expect(fake.chatRequests().length - before).toBe(7);
    expect(refused()).toHaveLength(1);

    const version = reg.json.name;
    const batch = await t.call("POST", "/v1/judge/batch", { items: [pair("a", { version }), pair("b", { version })] });
    expect(batch.status, batch.text).toBe(200);
    for (const r of batch.json.results) expect(r).toMatchObject({ ok: true, judgment: { confidence_source: "votes" } });
    expect(refused()).toHaveLength(1);
  });

  it("any other 400 is still a 502, with no retry without logprobs", async () => {
    const other = await startFakeLlm({ behavior: () => errorReply(400, "This model's maximum context length is 8192 tokens") });
    const app = await createTestApp({ llmUrl: other.url });
    try {
      const reg = await app.call("POST", "/v1/versions", { model: "small", params: { logprobs: true } });
      const res = await app.call("POST", "/v1/judge", { ...pair("a"), version: reg.json.name });
      expect(res.status, res.text).toBe(502);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const sent = other.chatRequests();
      // One per order at most (the first failure cancels the other), each asking for logprobs.
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.length).toBeLessThanOrEqual(2);
      for (const r of sent) expect(r).toMatchObject({ logprobs: true, top_logprobs: 5 });
    } finally {
      await app.close();
      await other.close();
    }
  });
});
