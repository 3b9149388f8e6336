import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AimdLimiter } from "../../src/llm/adaptive";
import { createOpenAiLlmClient, type OpenAiLlmClientOptions } from "../../src/llm/openai-client";
import { failWith, rateLimitOnce } from "../fake-llm/judges";
import { startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";

describe("AimdLimiter", () => {
  it("halves on a 429 (at most once a second) and adds back one slot per window of successes", () => {
    let now = 0;
    const l = new AimdLimiter(32, () => now);
    expect(l.concurrency).toBe(32);
    l.rateLimited();
    expect(l.concurrency).toBe(16);
    l.rateLimited(); // same burst: not halved again
    expect(l.concurrency).toBe(16);
    now += 1500;
    l.rateLimited();
    expect(l.concurrency).toBe(8);
    for (let i = 0; i < 10; i++) l.success();
    expect(l.concurrency).toBe(9);
    for (let i = 0; i < 1000; i++) l.success();
    expect(l.concurrency).toBe(32);
    for (let i = 0; i < 20; i++) {
      now += 1500;
      l.rateLimited();
    }
    expect(l.concurrency).toBe(1);
  });
});

describe("retry budgets", () => {
  let fake: FakeLlm;
  beforeEach(async () => {
    fake = await startFakeLlm();
  });
  afterEach(async () => {
    await fake.close();
  });
  const client = (over: Partial<OpenAiLlmClientOptions>) =>
    createOpenAiLlmClient({ baseURL: fake.url, apiKey: "k", timeoutMs: 2_000, maxRetries: 0, concurrency: 8, ...over });
  const ask = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };

  it("429s use their own, larger budget: maxRetries 0 still retries a 429", async () => {
    fake.setBehavior(rateLimitOnce(() => "ok", { times: 3, retryAfterMs: 5 }));
    const res = await client({ maxRetries: 0, rateLimitRetries: 3 }).complete(ask);
    expect(res.texts).toEqual(["ok"]);
    expect(fake.chatRequests()).toHaveLength(4);
  });

  it("5xx and timeouts use maxRetries, 4xx are not retried", async () => {
    let calls = 0;
    const flaky: Behavior = (req, ctx) => (++calls <= 2 ? failWith(503)(req, ctx) : "ok");
    fake.setBehavior(flaky);
    expect((await client({ maxRetries: 2, rateLimitRetries: 0 }).complete(ask)).texts).toEqual(["ok"]);
    fake.setBehavior(failWith(400, "bad request"));
    const before = fake.chatRequests().length;
    await expect(client({ maxRetries: 5 }).complete(ask)).rejects.toMatchObject({ kind: "upstream", status: 400 });
    expect(fake.chatRequests().length - before).toBe(1);
  });

  it("a rate-limited provider sees fewer requests in flight, not more", async () => {
    let inFlight = 0;
    let peakAfter429 = 0;
    let limitedAt = -1;
    fake.setOptions({ latencyMs: 20 });
    fake.setBehavior(async (_req, ctx) => {
      inFlight += 1;
      try {
        if (ctx.requestIndex < 8) return { status: 429, headers: { "retry-after-ms": "50" }, body: { error: { message: "slow down" } } };
        if (limitedAt < 0) limitedAt = ctx.requestIndex;
        peakAfter429 = Math.max(peakAfter429, inFlight);
        return "ok";
      } finally {
        inFlight -= 1;
      }
    });
    const c = client({ concurrency: 16, rateLimitRetries: 5 });
    const results = await Promise.all(Array.from({ length: 16 }, () => c.complete(ask)));
    expect(results).toHaveLength(16);
    expect(peakAfter429).toBeLessThanOrEqual(8);
  });
});
