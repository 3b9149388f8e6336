import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "openai";
import { LlmError } from "./errors";

/**
 * Translates what the openai SDK throws (after its own retries) into an LlmError.
 * Caller-initiated aborts are not provider failures, so they are returned untouched.
 */
export function mapSdkError(err: unknown, signal?: AbortSignal): unknown {
  if (err instanceof LlmError) return err;
  if (err instanceof APIUserAbortError) return signal?.reason ?? err;
  // Timeout is a subclass of connection error: check it first.
  if (err instanceof APIConnectionTimeoutError) {
    return new LlmError("timeout", "LLM provider did not answer in time", { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new LlmError("unavailable", `LLM provider unreachable: ${err.message}`, { cause: err });
  }
  if (err instanceof APIError && typeof err.status === "number") {
    const status = err.status;
    if (status === 429) {
      const retryAfterMs = retryAfterFromHeaders(err.headers);
      return new LlmError("rate_limited", "LLM provider rate limit persisted after retries", {
        status,
        cause: err,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    if (status === 408) {
      return new LlmError("timeout", "LLM provider reported a request timeout", { status, cause: err });
    }
    return new LlmError("upstream", `LLM provider error ${status}: ${err.message}`, { status, cause: err });
  }
  if (err instanceof SyntaxError) {
    return new LlmError("bad_response", "LLM provider sent a body that is not JSON", { cause: err });
  }
  return err;
}

function retryAfterFromHeaders(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get("retry-after");
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * Some servers reject n > 1 outright (400/422) instead of ignoring it. We only treat the error
 * as "n unsupported" when the provider points at the `n` parameter, so unrelated 400s surface.
 */
export function isNUnsupportedError(err: unknown): boolean {
  if (!(err instanceof APIError) || (err.status !== 400 && err.status !== 422)) return false;
  if (err.param === "n") return true;
  return /(^|[^\w])['"`]n['"`]|\bn\b\s*(must|should|can ?not|cannot|is not|>|<|=)|\bparameter n\b/i.test(
    err.message,
  );
}

/**
 * A provider refusing token log-probabilities (reasoning models, some OpenAI-compatible
 * servers): a 400/422 that names `logprobs` or `top_logprobs`, as its param or in its message.
 * Any other 400 stays an error.
 */
export function isLogprobsUnsupportedError(err: unknown): boolean {
  if (!(err instanceof APIError) || (err.status !== 400 && err.status !== 422)) return false;
  if (err.param === "logprobs" || err.param === "top_logprobs") return true;
  return /\b(top_)?logprobs\b/i.test(err.message);
}
