import type { LlmClient, TokenUsage } from "../llm/types";

export type Purpose = "classify" | "generate" | "judge";

/** Token usage accumulated in memory and flushed to the run row by the heartbeat. */
export class UsageMeter {
  private pending: Record<string, number> = {};

  add(purpose: Purpose, u: TokenUsage): void {
    const inc = (k: string, v: number) => {
      if (v) this.pending[k] = (this.pending[k] ?? 0) + v;
    };
    inc("prompt_tokens", u.prompt_tokens);
    inc("completion_tokens", u.completion_tokens);
    inc("llm_requests", u.llm_requests);
    inc(`${purpose}_tokens`, u.prompt_tokens + u.completion_tokens);
    inc(`${purpose}_requests`, u.llm_requests);
  }

  /** Takes what accumulated since the last drain. */
  drain(): Record<string, number> {
    const out = this.pending;
    this.pending = {};
    return out;
  }

  /** Puts back a drained batch whose write failed, so it is not lost. */
  restore(batch: Record<string, number>): void {
    for (const [k, v] of Object.entries(batch)) this.pending[k] = (this.pending[k] ?? 0) + v;
  }
}

/** An LlmClient that reports every completed call's usage under `purpose`. */
export function meteredLlm(llm: LlmClient, meter: UsageMeter, purpose: Purpose): LlmClient {
  return {
    async complete(req) {
      const res = await llm.complete(req);
      meter.add(purpose, res.usage);
      return res;
    },
  };
}
