/**
 * What each provider (base URL, model) has shown about token log-probabilities, learnt once per
 * LLM client (so per process) and never shared between clients. Some OpenAI-compatible servers
 * and reasoning models answer a request carrying `logprobs` with a 400 ("logprobs is not
 * supported"); the call is then sent again once without them, so the judgment falls back to
 * vote-share confidence instead of failing, and every later call to that provider goes without
 * them and does not pay the 400 again.
 *
 * Until the first call with log-probabilities to a provider has settled, other such calls to it
 * wait for that one: the two answer orders of a judgment run concurrently, and without the wait
 * both would be refused. The wait happens once per provider and process.
 */

type Known = "accepted" | "refused" | Promise<void>;

export interface LogprobsOutcome<T> {
  result: T;
  /** 1 when this call was refused for asking and sent again without (a billed-nothing request). */
  refusedRequests: number;
}

export class LogprobsSupport {
  private readonly known = new Map<string, Known>();

  constructor(
    /** Whether a failed call was the provider refusing log-probabilities (and nothing else). */
    private readonly isRefusal: (err: unknown) => boolean,
    private readonly logger?: { warn(obj: object, msg: string): void },
  ) {}

  /**
   * Runs `call(true)` unless the provider is known to refuse log-probabilities; a refusal is
   * remembered and answered by exactly one `call(false)`. Any other failure propagates as is.
   */
  async run<T>(
    provider: { baseURL: string; model: string },
    signal: AbortSignal | undefined,
    call: (logprobs: boolean) => Promise<T>,
  ): Promise<LogprobsOutcome<T>> {
    const key = keyOf(provider.baseURL, provider.model);
    for (;;) {
      const state = this.known.get(key);
      if (state instanceof Promise) {
        await settledOrAborted(state, signal);
        continue;
      }
      if (state === "refused") return { result: await call(false), refusedRequests: 0 };
      // The first call to an unknown provider is the probe the others wait for.
      let release: (() => void) | undefined;
      if (state === undefined) this.known.set(key, new Promise<void>((resolve) => (release = resolve)));
      try {
        const result = await call(true);
        if (release) this.known.set(key, "accepted");
        return { result, refusedRequests: 0 };
      } catch (err) {
        if (!this.isRefusal(err)) {
          // Unknown still: the next caller probes again.
          if (release) this.known.delete(key);
          throw err;
        }
        // Logged once: calls already in flight to a provider that used to accept may all be refused.
        if (this.known.get(key) !== "refused") {
          this.known.set(key, "refused");
          this.logger?.warn(provider, "LLM provider refuses logprobs; calling it without them (confidence from votes) from now on");
        }
      } finally {
        release?.();
      }
      return { result: await call(false), refusedRequests: 1 };
    }
  }
}

function keyOf(baseURL: string, model: string): string {
  return `${baseURL.replace(/\/+$/, "")}\u0000${model}`;
}

function settledOrAborted(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
