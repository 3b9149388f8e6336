import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failWith, hangingJudge, oracleJudge, rateLimitForever } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "./fixtures";

let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  // No SDK retries keep each failure fast (retries are covered in tests/llm); the timeout is short
  // for the hanging-judge case but long enough that a loaded CI box does not turn a 429 into one.
  t = await createTestApp({ llmUrl: fake.url, env: { LLM_TIMEOUT_MS: "1000", LLM_MAX_RETRIES: "0" } });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function expectStoredFailure(judgmentId: string, errorIncludes: string) {
  const stored = await t.call("GET", `/v1/judgments/${judgmentId}`);
  expect(stored.status).toBe(200);
  expect(stored.json).toMatchObject({ status: "failed", verdict: null, votes: null });
  expect(stored.json.error).toContain(errorIncludes);
  return stored.json;
}

describe("LLM failures never become verdicts", () => {
  it("a timeout is 503 problem+json and a stored failed judgment", async () => {
    fake.setBehavior(hangingJudge);
    const req = pair("a");
    const res = await t.call("POST", "/v1/judge", req);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json).toMatchObject({ status: 503, llm_error: "timeout", type: expect.stringContaining("llm_unavailable") });
    const stored = await expectStoredFailure(res.json.judgment_id, "timeout");
    expect(stored.instruction).toBe(req.instruction);
  });

  it("a provider that keeps answering 429 is 503 and stored as rate limited", async () => {
    fake.setBehavior(rateLimitForever({ retryAfterSeconds: 7 }));
    const res = await t.call("POST", "/v1/judge", pair("a"));
    expect(res.status).toBe(503);
    expect(res.json.llm_error).toBe("rate_limited");
    expect(res.headers.get("retry-after")).toBe("7");
    await expectStoredFailure(res.json.judgment_id, "rate_limited");
  });

  it("a provider error status is 502 llm_failed", async () => {
    fake.setBehavior(failWith(500, "model exploded"));
    const res = await t.call("POST", "/v1/judge", pair("a"));
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ llm_error: "upstream", type: expect.stringContaining("llm_failed") });
    await expectStoredFailure(res.json.judgment_id, "upstream");
  });

  it("a 2xx answer without choices is 502 bad_response", async () => {
    fake.setBehavior(() => ({ status: 200, body: { id: "x", object: "chat.completion", choices: [] } }));
    const res = await t.call("POST", "/v1/judge", pair("a"));
    expect(res.status).toBe(502);
    expect(res.json.llm_error).toBe("bad_response");
    await expectStoredFailure(res.json.judgment_id, "bad_response");
  });

  it("recovers once the provider does", async () => {
    fake.setBehavior(oracleJudge);
    const res = await t.call("POST", "/v1/judge", pair("b"));
    expect(res.status).toBe(200);
    expect(res.json.verdict).toBe("B");
  });
});
