import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { judgePair, type JudgeVersionSpec } from "../../src/judging/judge";
import { DEFAULT_CRITERIA, DEFAULT_JUDGE_TEMPLATE } from "../../src/judging/prompt";
import { LlmError } from "../../src/llm/errors";
import { createOpenAiLlmClient, type OpenAiLlmClientOptions } from "../../src/llm/openai-client";
import type { CompletionRequest } from "../../src/llm/types";
import {
  garbageJudge,
  hangingJudge,
  oracleJudge,
  positionBiasedJudge,
  rateLimitForever,
  rateLimitOnce,
  rejectsN,
  restatingJudge,
} from "../fake-llm/judges";
import { countTokens, startFakeLlm, type FakeChatRequest, type FakeLlm } from "../fake-llm/server";

let fake: FakeLlm;
const open: FakeLlm[] = [];

beforeEach(async () => {
  fake = await startFakeLlm();
  open.push(fake);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

function client(over: Partial<OpenAiLlmClientOptions> = {}) {
  return createOpenAiLlmClient({ baseURL: fake.url, apiKey: "test-key", timeoutMs: 2_000, maxRetries: 2, concurrency: 8, ...over });
}

const ask = (over: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model: "fake-judge",
  messages: [{ role: "user", content: "say something" }],
  ...over,
});

/** Usage the fake reports for these requests, recomputed from what it received and answered. */
function expectedTokens(reqs: FakeChatRequest[], textsPerRequest: string[][]) {
  return {
    prompt_tokens: reqs.reduce((s, r) => s + r.messages.reduce((t, m) => t + countTokens(m.content), 0), 0),
    completion_tokens: textsPerRequest.flat().reduce((s, t) => s + countTokens(t), 0),
  };
}

describe("n handling", () => {
  it("sends one HTTP request when the provider honours n", async () => {
    fake.setBehavior((_req, ctx) => Array.from({ length: ctx.choices }, (_, i) => `reply ${i}`));
    const out = await client().complete(ask({ n: 5, temperature: 0.7, top_p: 0.9, max_tokens: 50 }));
    expect(out.texts).toEqual(["reply 0", "reply 1", "reply 2", "reply 3", "reply 4"]);
    expect(fake.chatRequests()).toHaveLength(1);
    expect(fake.chatRequests()[0]).toMatchObject({ model: "fake-judge", n: 5, temperature: 0.7, top_p: 0.9, max_tokens: 50 });
    expect(fake.calls[0]?.headers.authorization).toBe("Bearer test-key");
    expect(out.usage).toEqual({ ...expectedTokens(fake.chatRequests(), [out.texts]), llm_requests: 1 });
  });

  it("omits n for a single sample", async () => {
    await client().complete(ask());
    expect(fake.chatRequests()[0]).not.toHaveProperty("n");
  });

  it("falls back to separate requests when n is ignored, and remembers it per (baseURL, model)", async () => {
    fake.setOptions({ honoursN: false });
    let k = 0;
    fake.setBehavior(() => `sample ${k++}`);
    const warn = vi.fn();
    const llm = client({ logger: { warn } });

    const first = await llm.complete(ask({ n: 4 }));
    expect(first.texts).toHaveLength(4);
    expect(new Set(first.texts).size).toBe(4);
    expect(first.usage.llm_requests).toBe(4); // 1 with n=4 that came back with one choice + 3 separate
    expect(fake.chatRequests().map((r) => r.n)).toEqual([4, undefined, undefined, undefined]);
    expect(first.usage).toEqual({ ...expectedTokens(fake.chatRequests(), [first.texts]), llm_requests: 4 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatchObject({ model: "fake-judge", asked: 4, got: 1 });

    const second = await llm.complete(ask({ n: 3 }));
    expect(second.texts).toHaveLength(3);
    expect(second.usage.llm_requests).toBe(3);
    expect(fake.chatRequests().slice(4).map((r) => r.n)).toEqual([undefined, undefined, undefined]);

    // Another model on the same server is not assumed to behave the same.
    await llm.complete(ask({ model: "other-model", n: 2 }));
    expect(fake.chatRequests().slice(7).map((r) => r.n)).toEqual([2, undefined]);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("falls back when the provider rejects n with a 400 naming the parameter", async () => {
    fake.setBehavior(rejectsN(() => "ok"));
    const llm = client();
    const out = await llm.complete(ask({ n: 3 }));
    expect(out.texts).toEqual(["ok", "ok", "ok"]);
    expect(out.usage.llm_requests).toBe(4); // the rejected request was sent, so it counts
    expect(fake.chatRequests().map((r) => r.n)).toEqual([3, undefined, undefined, undefined]);
  });

  it("trims extra choices and reads missing content as empty text", async () => {
    fake.setBehavior(() => ({
      status: 200,
      body: {
        choices: [
          { index: 2, message: { role: "assistant", content: "third" } },
          { index: 0, message: { role: "assistant", content: null } },
          { index: 1, message: { role: "assistant" } },
        ],
      },
    }));
    const out = await client().complete(ask({ n: 2 }));
    expect(out.texts).toEqual(["", ""]);
    expect(out.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, llm_requests: 1 });
  });

  it("routes a request to its per-version base URL with its own SDK instance", async () => {
    const other = await startFakeLlm({ behavior: () => "from other" });
    open.push(other);
    fake.setBehavior(() => "from default");
    const llm = client();
    expect((await llm.complete(ask({ baseURL: other.url }))).texts).toEqual(["from other"]);
    expect((await llm.complete(ask())).texts).toEqual(["from default"]);
    expect(other.chatRequests()).toHaveLength(1);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it("caps concurrent requests across calls", async () => {
    let inFlight = 0;
    let peak = 0;
    fake.setBehavior(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 40));
      inFlight -= 1;
      return "done";
    });
    const llm = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => llm.complete(ask())));
    expect(fake.chatRequests()).toHaveLength(6);
    expect(peak).toBe(2);
  });
});

describe("retries, timeouts and error mapping", () => {
  it("retries a 429 honouring retry-after-ms, then succeeds", async () => {
    fake.setBehavior(rateLimitOnce(() => "after the wait", { retryAfterMs: 30 }));
    const out = await client().complete(ask());
    expect(out.texts).toEqual(["after the wait"]);
    expect(fake.chatRequests()).toHaveLength(2);
    expect(out.usage.llm_requests).toBe(1); // SDK-internal retries are not counted
    expect(fake.calls[1]!.at - fake.calls[0]!.at).toBeGreaterThanOrEqual(25);
  });

  it("honours a Retry-After header in seconds", async () => {
    fake.setBehavior(rateLimitOnce(() => "ok", { retryAfterSeconds: 1 }));
    const started = Date.now();
    await client().complete(ask());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it("gives up after maxRetries with LlmError rate_limited", async () => {
    fake.setBehavior(rateLimitForever({ retryAfterMs: 10 }));
    const err = await client({ maxRetries: 2 }).complete(ask()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 10 });
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it("maps a hanging server to LlmError timeout", async () => {
    fake.setBehavior(hangingJudge);
    const started = Date.now();
    const err = await client({ timeoutMs: 300, maxRetries: 0 }).complete(ask()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LlmError", kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it("retries a timeout once when maxRetries is 1", async () => {
    fake.setBehavior(hangingJudge);
    const err = await client({ timeoutMs: 200, maxRetries: 1 }).complete(ask()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "timeout" });
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it("maps a refused connection to unavailable", async () => {
    const gone = await startFakeLlm();
    await gone.close();
    const err = await client({ baseURL: gone.url, maxRetries: 0 }).complete(ask()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "unavailable" });
  });

  it.each([
    [500, "upstream"],
    [503, "upstream"],
    [404, "upstream"],
    [401, "upstream"],
  ])("maps HTTP %i to %s with the status", async (status, kind) => {
    fake.setBehavior(() => ({ status, body: { error: { message: "nope" } } }));
    const err = await client({ maxRetries: 0 }).complete(ask()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind, status });
  });

  it.each([
    ["no choices array", { status: 200, body: { id: "x" } }],
    ["an empty choices array", { status: 200, body: { choices: [] } }],
    ["a non-JSON body", { status: 200, body: "<html>proxy error</html>" }],
  ])("maps %s to bad_response", async (_name, reply) => {
    fake.setBehavior(() => reply);
    const err = await client({ maxRetries: 0 }).complete(ask({ n: 2 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "bad_response" });
  });

  it("rejects with the caller's abort reason, not an LlmError", async () => {
    fake.setBehavior(hangingJudge);
    const ctrl = new AbortController();
    const pending = client().complete(ask({ signal: ctrl.signal }));
    setTimeout(() => ctrl.abort(new Error("client went away")), 50);
    await expect(pending).rejects.toThrow("client went away");
  });
});

describe("judgePair over HTTP", () => {
  const version: JudgeVersionSpec = { model: "fake-judge", prompt_template: DEFAULT_JUDGE_TEMPLATE, criteria: DEFAULT_CRITERIA, params: {} };
  const input = { instruction: "Which is right?", response_a: "plain answer", response_b: "GOOD answer" };

  it("oracle and restating judges agree in both orders; usage is summed over both requests", async () => {
    for (const behavior of [oracleJudge, restatingJudge]) {
      fake.setBehavior(behavior);
      const before = fake.chatRequests().length;
      const out = await judgePair(client(), version, input, { samples: 3, swap: true });
      expect(out).toMatchObject({ verdict: "B", position_consistent: true, confidence: 1 });
      const reqs = fake.chatRequests().slice(before);
      expect(reqs).toHaveLength(2);
      expect(out.usage).toEqual({ ...expectedTokens(reqs, [out.samples.map((s) => s.text)]), llm_requests: 2 });
    }
  });

  it("a position-biased judge yields an inconsistent tie with swap", async () => {
    fake.setBehavior(positionBiasedJudge);
    const out = await judgePair(client(), version, input, { samples: 2, swap: true });
    expect(out).toMatchObject({ verdict: "tie", position_consistent: false, votes: { A: 2, B: 2, tie: 0, invalid: 0 } });
  });

  it("garbage gives verdict null with every vote invalid, over a provider that ignores n", async () => {
    fake.setOptions({ honoursN: false });
    fake.setBehavior(garbageJudge);
    const out = await judgePair(client(), version, input, { samples: 3, swap: true });
    expect(out).toMatchObject({ verdict: null, confidence: 0, reasoning: null, votes: { A: 0, B: 0, tie: 0, invalid: 6 } });
    expect(out.samples).toHaveLength(6);
    expect(out.usage.llm_requests).toBe(6);
    expect(out.usage.llm_requests).toBe(fake.chatRequests().length);
  });

  it("a rate-limited provider surfaces as LlmError, not a verdict", async () => {
    fake.setBehavior(rateLimitForever({ retryAfterMs: 5 }));
    await expect(judgePair(client({ maxRetries: 1 }), version, input, { samples: 1, swap: true })).rejects.toMatchObject({
      kind: "rate_limited",
    });
  });
});
