import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { extractAnswers, garbageJudge, oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "./fixtures";

let fake: FakeLlm;
let t: TestApp;

/** Oracle, except for questions that ask for garbage. */
const mixedJudge: Behavior = (req, ctx) =>
  extractAnswers(req)?.question.includes("GARBAGE") ? garbageJudge(req, ctx) : oracleJudge(req, ctx);

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: mixedJudge });
  t = await createTestApp({ llmUrl: fake.url, env: { JUDGE_BATCH_CONCURRENCY: "2" } });
  expect((await t.call("POST", "/v1/evaluators", { name: "safety" })).status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.setBehavior(mixedJudge));

describe("POST /v1/judge/batch", () => {
  it("judges each item on its own: one bad item does not sink the others", async () => {
    const items = [pair("a"), { ...pair("b"), response_b: "   " }, pair("b")];
    const res = await t.call("POST", "/v1/judge/batch", { items });
    expect(res.status).toBe(200);
    const [first, bad, third] = res.json.results;
    expect(res.json.results).toHaveLength(3);
    expect(first).toMatchObject({ index: 0, ok: true, judgment: { verdict: "A", cached: false } });
    expect(third).toMatchObject({ index: 2, ok: true, judgment: { verdict: "B" } });
    expect(bad).toMatchObject({ index: 1, ok: false, error: { status: 422, type: expect.stringContaining("validation_failed") } });
    expect(bad.error.errors.map((e: { path: string }) => e.path)).toContain("response_b");
    // Each success is a stored judgment.
    for (const r of [first, third]) {
      expect((await t.call("GET", `/v1/judgments/${r.judgment.id}`)).json.status).toBe("ok");
    }
  });

  it("reports per-item not-found versions and judge failures with their judgment ids", async () => {
    const garbage = { ...pair("a"), instruction: "GARBAGE please" };
    const res = await t.call("POST", "/v1/judge/batch", {
      items: [pair("a", { version: "v7" }), garbage, pair("a", { version: "v1" }), "not an object"],
    });
    expect(res.status).toBe(200);
    const [missing, invalid, pinned, notObject] = res.json.results;
    expect(missing).toMatchObject({ ok: false, error: { status: 404 } });
    expect(invalid).toMatchObject({ ok: false, error: { status: 502, type: expect.stringContaining("judge_output_invalid") } });
    expect((await t.call("GET", `/v1/judgments/${invalid.error.judgment_id}`)).json.status).toBe("failed");
    expect(pinned).toMatchObject({ ok: true, judgment: { version: { name: "v1" } } });
    expect(notObject).toMatchObject({ ok: false, error: { status: 422 } });
  });

  it("applies the top-level evaluator to items that name none", async () => {
    const res = await t.call("POST", "/v1/judge/batch", {
      evaluator: "safety",
      items: [pair("a"), pair("b", { evaluator: "default" })],
    });
    expect(res.json.results.map((r: { judgment: { evaluator: { name: string } } }) => r.judgment.evaluator.name)).toEqual([
      "safety",
      "default",
    ]);
    const unknown = await t.call("POST", "/v1/judge/batch", { evaluator: "nope", items: [pair("a")] });
    expect(unknown.json.results[0]).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it("serves repeated items from the cache", async () => {
    const item = pair("b");
    await t.call("POST", "/v1/judge", item);
    const calls = chatCount(fake);
    const res = await t.call("POST", "/v1/judge/batch", { items: [item] });
    expect(res.json.results[0].judgment).toMatchObject({ cached: true, verdict: "B" });
    expect(chatCount(fake)).toBe(calls);
  });

  it("keeps at most JUDGE_BATCH_CONCURRENCY items in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    fake.setBehavior(async (req, ctx) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight -= 1;
      return oracleJudge(req, ctx);
    });
    const items = Array.from({ length: 8 }, () => pair("a"));
    const res = await t.call("POST", "/v1/judge/batch", { items });
    expect(res.json.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    // Two orders per item, two items at a time.
    expect(peak).toBeLessThanOrEqual(4);
  });

  it("rejects an invalid envelope as a whole", async () => {
    const calls = chatCount(fake);
    const tooMany = await t.call("POST", "/v1/judge/batch", { items: Array.from({ length: 101 }, () => pair("a")) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.headers.get("content-type")).toContain("application/problem+json");
    for (const body of [{ items: [] }, {}, { items: "x" }, [pair("a")], { items: [pair("a")], extra: 1 }]) {
      expect((await t.call("POST", "/v1/judge/batch", body)).status, JSON.stringify(body).slice(0, 40)).toBe(422);
    }
    expect(chatCount(fake)).toBe(calls);
    const hundred = await t.call("POST", "/v1/judge/batch", {
      items: Array.from({ length: 100 }, () => ({ instruction: "  ", response_a: "x", response_b: "y" })),
    });
    expect(hundred.status).toBe(200);
    expect(hundred.json.results).toHaveLength(100);
  });
});
