import pLimit, { type LimitFunction } from "p-limit";
import { LlmError } from "./errors";

// Fault handling of the LLM client (no I/O of its own): AIMD concurrency per provider and the
// retry policy that tells 429s (honour Retry-After, larger budget) from 5xx and timeouts.

/**
 * Concurrency that adapts to 429s: additive increase (+1 per window of successes) and
 * multiplicative decrease (halve, at most once a second), between 1 and `max`. A rate-limited
 * provider sees fewer requests in flight instead of more retries.
 */
export class AimdLimiter {
  private current: number;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  readonly run: LimitFunction;

  constructor(
    private readonly max: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.current = max;
    this.run = pLimit(max);
  }

  get concurrency(): number {
    return this.run.concurrency;
  }

  success(): void {
    if (this.current >= this.max) return;
    this.current = Math.min(this.max, this.current + 1 / Math.max(1, this.current));
    this.apply();
  }

  rateLimited(): void {
    const t = this.now();
    if (t - this.lastDecrease < 1000) return;
    this.lastDecrease = t;
    this.current = Math.max(1, this.current / 2);
    this.apply();
  }

  private apply(): void {
    const next = Math.max(1, Math.floor(this.current));
    if (next !== this.run.concurrency) this.run.concurrency = next;
  }
}

export interface RetryPolicy {
  /** Retries of 5xx, 408, timeouts and refused connections. */
  maxRetries: number;
  /** Retries of 429s, each after the provider's Retry-After (or a back-off). */
  rateLimitRetries: number;
}

export type RetryDecision = { retry: false } | { retry: true; waitMs: number; rateLimited: boolean };

const MAX_WAIT_MS = 60_000;

function backoff(attempt: number, baseMs: number, capMs: number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + Math.random() * 0.5));
}

/** Whether (and after how long) to retry after `err`, given the retries used so far of each kind. */
export function retryDecision(err: LlmError, used: { rateLimited: number; other: number }, policy: RetryPolicy): RetryDecision {
  if (err.kind === "rate_limited") {
    if (used.rateLimited >= policy.rateLimitRetries) return { retry: false };
    const hinted = err.retryAfterMs;
    const waitMs = hinted !== undefined ? Math.min(MAX_WAIT_MS, hinted) : backoff(used.rateLimited + 1, 500, 20_000);
    return { retry: true, waitMs, rateLimited: true };
  }
  const transient =
    err.kind === "timeout" ||
    err.kind === "unavailable" ||
    (err.kind === "upstream" && err.status !== undefined && (err.status >= 500 || err.status === 408 || err.status === 409));
  if (!transient || used.other >= policy.maxRetries) return { retry: false };
  return { retry: true, waitMs: backoff(used.other + 1, 250, 8_000), rateLimited: false };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
