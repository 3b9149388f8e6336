import { parseRetryAfter, SelfjudgeConnectionError } from "./errors";

export interface RetryOptions {
  /** Retries after the first attempt for 429/503. Default 4. */
  maxRetries?: number;
  /** Retries of a request that could not connect at all (only when repeating it is safe). Default 2. */
  maxConnectRetries?: number;
  /** First back-off when the server sends no Retry-After; doubles per attempt. Default 500 ms. */
  baseDelayMs?: number;
  /** No single wait is longer than this, whatever Retry-After says. Default 30 s. */
  maxDelayMs?: number;
  /** Per-attempt timeout. Default none. */
  timeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const RETRY_STATUS = new Set([429, 503]);

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A network error is retried only when repeating the request cannot do anything twice: reads,
 * deletes, and judging (identical judge requests are answered from the server's cache).
 */
function safeToRepeat(method: string, url: string): boolean {
  if (method === "GET" || method === "HEAD" || method === "DELETE") return true;
  return /\/v1\/judge(\/batch)?\/?(\?|$)/.test(url);
}

/** fetch that waits and retries on 429/503, honouring Retry-After. Speaks HTTP; no other state. */
export function retryingFetch(base: typeof fetch, opts: RetryOptions = {}): typeof fetch {
  const maxRetries = opts.maxRetries ?? 4;
  const maxConnectRetries = opts.maxConnectRetries ?? 2;
  const baseDelay = opts.baseDelayMs ?? 500;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  const sleep = opts.sleep ?? abortableSleep;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const signal = init?.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.min(maxDelay, baseDelay * 2 ** attempt * (0.75 + Math.random() / 2));
      let res: Response;
      try {
        const attemptSignal =
          opts.timeoutMs !== undefined
            ? signal
              ? AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs)])
              : AbortSignal.timeout(opts.timeoutMs)
            : signal;
        res = await base(input, { ...init, signal: attemptSignal });
      } catch (err) {
        if (signal?.aborted) throw err;
        if (attempt < maxConnectRetries && safeToRepeat(method, url)) {
          await sleep(backoff, signal);
          continue;
        }
        throw new SelfjudgeConnectionError(new URL(url).origin, err);
      }
      if (!RETRY_STATUS.has(res.status) || attempt >= maxRetries) return res;
      const hinted = parseRetryAfter(res.headers.get("retry-after"));
      await res.body?.cancel().catch(() => undefined);
      await sleep(Math.min(maxDelay, hinted ?? backoff), signal);
    }
  };
}
