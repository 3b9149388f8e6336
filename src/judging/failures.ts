import { isLlmError } from "../llm";
import { ApiError } from "../lib/errors";

/** What the stored failed judgment records as its error. */
export function describeFailure(err: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return "aborted: the caller went away before the judge answered";
  // The provider's own error text stays in the logs (see providerDetail): the stored judgment is
  // readable by judge keys, and a provider's error body may echo secrets or internal hosts.
  if (isLlmError(err)) return `llm ${err.kind}${err.status ? ` (HTTP ${err.status})` : ""}`;
  return `internal: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Provider trouble the caller can retry (429 after our retries, no connection, timeout) is 503;
 * a provider that answered wrongly is 502. Never a verdict: a failed call is not a vote.
 */
export function failureToApiError(err: unknown, judgmentId: string | null): ApiError {
  const extra: Record<string, unknown> = judgmentId ? { judgment_id: judgmentId } : {};
  if (isLlmError(err)) {
    if (err.retryAfterMs !== undefined) extra.retry_after_ms = err.retryAfterMs;
    extra.llm_error = err.kind;
    switch (err.kind) {
      case "rate_limited":
      case "unavailable":
      case "timeout":
        return new ApiError("llm_unavailable", `judge model unavailable (${err.kind}); details are logged under this request id`, extra);
      case "upstream":
      case "bad_response":
        return new ApiError(
          "llm_failed",
          `judge model failed (${err.kind}${err.status ? `, HTTP ${err.status}` : ""}); details are logged under this request id`,
          extra,
        );
    }
  }
  return new ApiError("internal", "judging failed unexpectedly", extra);
}

/** The full provider error, for the logs only (warn level). */
export function providerDetail(err: unknown): Record<string, unknown> {
  if (isLlmError(err)) return { kind: err.kind, status: err.status, message: err.message };
  return { message: err instanceof Error ? err.message : String(err) };
}
