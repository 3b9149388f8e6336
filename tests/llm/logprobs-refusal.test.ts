import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LlmError } from "../../src/llm/errors";
import { createOpenAiLlmClient, type OpenAiLlmClientOptions } from "../../src/llm/openai-client";
import type { CompletionRequest } from "../../src/llm/types";
import { errorReply, startFakeLlm, type FakeLlm } from "../fake-llm/server";

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeLlm({ behavior: () => "ok", refusesLogprobs: true });
});
afterEach(async () => {
  await fake.close();
});

function client(over: Partial<OpenAiLlmClientOptions> = {}) {
  return createOpenAiLlmClient({ baseURL: fake.url, apiKey: "k", timeoutMs: 2_000, maxRetries: 2, concurrency: 8, ...over });
}

const ask = (over: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model: "reasoner",
  messages: [{ role: "user", content: "judge this" }],
  logprobs: true,
  ...over,
});

const asked = (f: FakeLlm) => f.chatRequests().filter((r) => r.logprobs !== undefined || r.top_logprobs !== undefined);

describe("a provider that refuses logprobs", () => {
  it("retries once without them, answers with no log-probs, and remembers per (base URL, model); concurrent calls pay one 400", async () => {
    const warn = vi.fn();
    const llm = client({ logger: { warn } });
    const outs = await Promise.all(Array.from({ length: 6 }, () => llm.complete(ask())));
    for (const o of outs) expect(o).toMatchObject({ texts: ["ok"], logprobs: [null] });
    expect(asked(fake)).toHaveLength(1);
    expect(fake.chatRequests()).toHaveLength(7);
    // The refused request was sent, so it counts (on the call that made it).
    expect(outs.reduce((s, o) => s + o.usage.llm_requests, 0)).toBe(7);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toEqual({ baseURL: expect.stringContaining(fake.url.replace(/\/v1$/, "")), model: "reasoner" });

    // n > 1 goes without as well, in one request.
    const many = await llm.complete(ask({ n: 3 }));
    expect(many.texts).toEqual(["ok", "ok", "ok"]);
    expect(many.usage.llm_requests).toBe(1);
    expect(asked(fake)).toHaveLength(1);

    // Another model on the same server is not assumed to refuse.
    await llm.complete(ask({ model: "other" }));
    expect(asked(fake)).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("the memory belongs to the client: a second client learns it for itself", async () => {
    await client().complete(ask());
    await client().complete(ask());
    expect(asked(fake)).toHaveLength(2);
  });

  it("recognises a refusal that only names logprobs in its message (param null)", async () => {
    fake.setOptions({ refusesLogprobs: false });
    fake.setBehavior((req) => (req.logprobs ? errorReply(400, "logprobs is not supported") : "ok"));
    const out = await client().complete(ask());
    expect(out.texts).toEqual(["ok"]);
    expect(fake.chatRequests().map((r) => r.logprobs)).toEqual([true, undefined]);
  });

  it("any other 400 stays an error, with no retry, and is not remembered", async () => {
    fake.setOptions({ refusesLogprobs: false });
    fake.setBehavior(() => errorReply(400, "This model's maximum context length is 8192 tokens"));
    const llm = client();
    const err = await llm.complete(ask()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ kind: "upstream", status: 400 });
    expect(fake.chatRequests()).toHaveLength(1);
    await llm.complete(ask()).catch(() => undefined);
    expect(fake.chatRequests().map((r) => r.logprobs)).toEqual([true, true]);
  });

  it("a provider that accepts them keeps getting them, concurrently", async () => {
    fake.setOptions({ refusesLogprobs: false });
    const llm = client();
    await Promise.all(Array.from({ length: 4 }, () => llm.complete(ask())));
    await llm.complete(ask());
    expect(fake.chatRequests()).toHaveLength(5);
    for (const r of fake.chatRequests()) expect(r).toMatchObject({ logprobs: true, top_logprobs: 5 });
  });
});
