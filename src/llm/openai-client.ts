import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import pLimit from "p-limit";
import { withChildSignal } from "../lib/child-signal";
import { resolveApiKey, type ProviderRules } from "../auth/resolve-key";
import { AimdLimiter, retryDecision, sleep, type RetryPolicy } from "./adaptive";
import { LlmError } from "./errors";
import { LogprobsSupport } from "./logprobs-support";
import { readCompletion, type SingleResult } from "./read-completion";
import { isLogprobsUnsupportedError, isNUnsupportedError, mapSdkError } from "./map-sdk-error";
import type { CompletionRequest, CompletionResult, LlmClient } from "./types";
import { addUsage, ZERO_USAGE } from "./types";

export interface OpenAiLlmClientOptions {
  /** Default base URL (e.g. https://api.openai.com/v1); a request's baseURL overrides it. */
  baseURL: string;
  /** Empty is allowed for keyless local servers (vLLM, Ollama): a placeholder is sent. */
  apiKey: string;
  /** Per HTTP attempt; the SDK retries timeouts too, so the worst case is ~(maxRetries+1)×timeoutMs plus backoff. */
  timeoutMs: number;
  /** Retries of 5xx, 408, timeouts and refused connections, with jittered exponential back-off. */
  maxRetries: number;
  /** Retries of 429s, each after the provider's Retry-After / retry-after-ms; default maxRetries. */
  rateLimitRetries?: number;
  /** Cap on logical requests in flight across every baseURL and model served by this client. */
  concurrency: number;
  fetch?: typeof fetch;
  logger?: { warn(obj: object, msg: string): void };
  /** Base URL allowlist and SELFJUDGE_KEY_* keys for requests that bring their own base URL. */
  providers?: ProviderRules;
}

/**
 * Alternatives asked per token when log-probabilities are wanted. The verdict letter competes
 * with two others (A, B, C) plus stray spellings, so 5 keeps all three in view.
 */
const TOP_LOGPROBS = 5;

/**
 * LlmClient over any OpenAI-compatible chat completions endpoint.
 *
 * `usage.llm_requests` counts logical requests (one per `chat.completions.create` call). The SDK's
 * internal retries of the same request are not counted: they carry no billed tokens and are an
 * implementation detail of the transport.
 */
/**
 * The one way this codebase builds an openai SDK instance (chat completions here, fine-tuning in
 * src/training/openai-fine-tuning.ts): retries and timeouts from config, and nothing read from
 * OPENAI_* variables behind the config's back.
 */
export function createOpenAiSdk(opts: Pick<OpenAiLlmClientOptions, "baseURL" | "apiKey" | "timeoutMs" | "maxRetries" | "fetch">): OpenAI {
  return new OpenAI({
    baseURL: opts.baseURL,
    // Empty is allowed for keyless local servers (vLLM, Ollama): a placeholder is sent.
    apiKey: opts.apiKey || "not-needed",
    timeout: opts.timeoutMs,
    maxRetries: opts.maxRetries,
    // Explicit nulls stop the SDK from reading OPENAI_* variables behind the config's back.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    logLevel: "off",
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

export function createOpenAiLlmClient(opts: OpenAiLlmClientOptions): LlmClient {
  const sdkByBaseUrl = new Map<string, OpenAI>();
  // Per (baseURL, model): learnt once, so later calls skip the wasted n>1 round trip.
  const nIgnoredFor = new Set<string>();
  // Per (baseURL, model): providers that refuse logprobs get them no more (src/llm/logprobs-support.ts).
  const logprobs = new LogprobsSupport((err) => isLogprobsUnsupportedError((err as { cause?: unknown }).cause), opts.logger);
  const maxConcurrency = Math.max(1, Math.floor(opts.concurrency));
  const limit = pLimit(maxConcurrency);
  // Per base URL: one provider's 429s slow down that provider only.
  const adaptive = new Map<string, AimdLimiter>();
  const policy: RetryPolicy = { maxRetries: opts.maxRetries, rateLimitRetries: opts.rateLimitRetries ?? opts.maxRetries };
  function limiterFor(baseURL: string): AimdLimiter {
    let l = adaptive.get(baseURL);
    if (!l) {
      l = new AimdLimiter(maxConcurrency);
      adaptive.set(baseURL, l);
    }
    return l;
  }

  function sdkFor(baseURL: string, apiKey: string): OpenAI {
    const key = `${baseURL}\u0000${apiKey}`;
    let sdk = sdkByBaseUrl.get(key);
    if (!sdk) {
      // Retries are ours (see single()): the SDK makes exactly one attempt.
      sdk = createOpenAiSdk({ ...opts, baseURL, apiKey, maxRetries: 0 });
      sdkByBaseUrl.set(key, sdk);
    }
    return sdk;
  }

  const rules: ProviderRules = opts.providers ?? { allowlist: [], keys: {} };
  const defaultPrefix = withSlash(opts.baseURL);
  /** The base URL and key of one request: a version's own base_url never gets the global key. */
  function provider(req: CompletionRequest): { baseURL: string; apiKey: string } {
    const resolved = resolveApiKey(rules, { baseURL: req.baseURL ?? null, apiKeyEnv: req.apiKeyEnv ?? null });
    if (!resolved.ok) throw new LlmError("unavailable", resolved.problem);
    if (!resolved.baseURL) return { baseURL: opts.baseURL, apiKey: resolved.apiKey ?? opts.apiKey };
    // The global key may still go where it belongs: a base_url under OPENAI_BASE_URL itself.
    const sameProvider = withSlash(resolved.baseURL).startsWith(defaultPrefix);
    const apiKey = resolved.apiKey || (sameProvider ? opts.apiKey : "");
    return { baseURL: resolved.baseURL, apiKey };
  }

  /** One logical request; asking for logprobs only where the provider has not refused them. */
  async function single(
    sdk: OpenAI,
    req: CompletionRequest,
    n: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SingleResult> {
    if (!req.logprobs) return send(sdk, req, n, signal);
    const { result, refusedRequests } = await logprobs.run({ baseURL: sdk.baseURL, model: req.model }, signal, (ask) =>
      send(sdk, { ...req, logprobs: ask }, n, signal),
    );
    // The refused request was still sent: count it, even though it carried no tokens.
    return refusedRequests ? { ...result, usage: { ...result.usage, llm_requests: result.usage.llm_requests + refusedRequests } } : result;
  }

  async function send(
    sdk: OpenAI,
    req: CompletionRequest,
    n: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SingleResult> {
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: req.model,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(n !== undefined && n > 1 ? { n } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.top_p !== undefined ? { top_p: req.top_p } : {}),
      ...(req.max_tokens !== undefined ? { max_tokens: req.max_tokens } : {}),
      ...(req.logprobs ? { logprobs: true, top_logprobs: TOP_LOGPROBS } : {}),
    };
    const aimd = limiterFor(sdk.baseURL);
    const used = { rateLimited: 0, other: 0 };
    for (;;) {
      let resp: ChatCompletion;
      try {
        // The provider's adaptive slot first, then the global cap: a slow provider never holds global slots.
        resp = await aimd.run(() =>
          limit(() => {
            // A request that waited in the queue past its caller's abort must not go out.
            signal?.throwIfAborted();
            if (!signal) return sdk.chat.completions.create(body, undefined);
            // The SDK composes the signal it is given with AbortSignal.any: hand it a short-lived one.
            return withChildSignal(signal, (child) => sdk.chat.completions.create(body, { signal: child.signal }));
          }),
        );
      } catch (err) {
        const mapped = mapSdkError(err, signal);
        if (!(mapped instanceof LlmError)) throw mapped;
        if (mapped.kind === "rate_limited") aimd.rateLimited();
        const decision = retryDecision(mapped, used, policy);
        if (!decision.retry) throw mapped;
        if (decision.rateLimited) used.rateLimited += 1;
        else used.other += 1;
        // Waiting holds no slot, so other requests (and the provider) are not held up by it.
        await sleep(decision.waitMs, signal);
        continue;
      }
      aimd.success();
      return readCompletion(resp);
    }
  }

  /** k independent one-choice requests; the first failure cancels the others. */
  async function separate(
    sdk: OpenAI,
    req: CompletionRequest,
    k: number,
  ): Promise<SingleResult> {
    const results = await withChildSignal(req.signal, (siblings) =>
      Promise.all(
        Array.from({ length: k }, async () => {
          try {
            return oneChoice(await single(sdk, req, undefined, siblings.signal));
          } catch (err) {
            siblings.abort(err);
            throw err;
          }
        }),
      ),
    );
    return results.reduce<SingleResult>(
      (acc, r) => ({ texts: [...acc.texts, ...r.texts], logprobs: [...acc.logprobs, ...r.logprobs], usage: addUsage(acc.usage, r.usage) }),
      { texts: [], logprobs: [], usage: { ...ZERO_USAGE } },
    );
  }

  async function complete(req: CompletionRequest): Promise<CompletionResult> {
    const r = await completeAll(req);
    return req.logprobs ? r : { texts: r.texts, usage: r.usage };
  }

  async function completeAll(req: CompletionRequest): Promise<SingleResult> {
    const n = req.n ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
    const { baseURL, apiKey } = provider(req);
    const sdk = sdkFor(baseURL, apiKey);
    const key = `${baseURL.replace(/\/+$/, "")}\u0000${req.model}`;

    if (n === 1 || nIgnoredFor.has(key)) {
      return n === 1 ? oneChoice(await single(sdk, req, undefined, req.signal)) : separate(sdk, req, n);
    }

    let first: SingleResult;
    try {
      first = await single(sdk, req, n, req.signal);
    } catch (err) {
      if (!isNUnsupportedError((err as { cause?: unknown }).cause)) throw err;
      markNIgnored(key, baseURL, req.model, n, 0);
      const all = await separate(sdk, req, n);
      // The rejected request was still sent: count it, even though it carried no tokens.
      return { ...all, usage: { ...all.usage, llm_requests: all.usage.llm_requests + 1 } };
    }
    if (first.texts.length >= n) return { texts: first.texts.slice(0, n), logprobs: first.logprobs.slice(0, n), usage: first.usage };
    if (first.texts.length === 0) throw noChoices();

    markNIgnored(key, baseURL, req.model, n, first.texts.length);
    const rest = await separate(sdk, req, n - first.texts.length);
    return {
      texts: [...first.texts, ...rest.texts],
      logprobs: [...first.logprobs, ...rest.logprobs],
      usage: addUsage(first.usage, rest.usage),
    };
  }

  function markNIgnored(key: string, baseURL: string, model: string, asked: number, got: number): void {
    if (nIgnoredFor.has(key)) return;
    nIgnoredFor.add(key);
    opts.logger?.warn(
      { baseURL, model, asked, got },
      "LLM provider does not honour n; using one request per sample from now on",
    );
  }

  return { complete };
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function oneChoice(r: SingleResult): SingleResult {
  if (r.texts.length === 0) throw noChoices();
  return { texts: [r.texts[0] ?? ""], logprobs: [r.logprobs[0] ?? null], usage: r.usage };
}

function noChoices(): LlmError {
  return new LlmError("bad_response", "LLM provider returned no choices");
}
