/**
 * Provider failures, classified so the HTTP layer can choose a status without knowing the SDK:
 * - rate_limited: the provider kept answering 429 after the SDK's retries (route: 503 + Retry-After)
 * - timeout:      no answer within timeoutMs, after retries (route: 504/503)
 * - unavailable:  could not connect at all (route: 503)
 * - upstream:     the provider answered with an error status (route: 502; `status` says which)
 * - bad_response: a 2xx answer we cannot use (no choices, not JSON) (route: 502)
 */
export type LlmErrorKind = "rate_limited" | "timeout" | "unavailable" | "upstream" | "bad_response";

export class LlmError extends Error {
  override readonly name = "LlmError";
  readonly kind: LlmErrorKind;
  readonly status?: number;
  /** Provider's own hint, when it sent one with a 429. */
  readonly retryAfterMs?: number;

  constructor(
    kind: LlmErrorKind,
    message: string,
    opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

export function isLlmError(err: unknown): err is LlmError {
  return err instanceof LlmError;
}
