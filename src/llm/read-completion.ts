import { LlmError } from "./errors";
import type { TokenLogprob, TokenUsage } from "./types";

// Reading a chat completion body into texts, log-probabilities and usage, trusting nothing in it.

export interface SingleResult {
  texts: string[];
  /** Aligned with texts; null where the choice carried no log-probabilities. */
  logprobs: Array<TokenLogprob[] | null>;
  usage: TokenUsage;
}

export function readCompletion(resp: unknown): SingleResult {
  const choices = (resp as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) {
    throw new LlmError("bad_response", "LLM provider response has no choices array");
  }
  const ordered = choices
    .map((c: unknown, i: number) => ({ c: c as ChoiceLike | null, i }))
    .sort((x, y) => indexOf(x.c, x.i) - indexOf(y.c, y.i));
  const usage = (resp as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  return {
    texts: ordered.map(({ c }) => (typeof c?.message?.content === "string" ? c.message.content : "")),
    logprobs: ordered.map(({ c }) => readLogprobs(c?.logprobs)),
    usage: {
      prompt_tokens: count(usage?.prompt_tokens),
      completion_tokens: count(usage?.completion_tokens),
      llm_requests: 1,
    },
  };
}

interface ChoiceLike {
  index?: unknown;
  message?: { content?: unknown } | null;
  logprobs?: unknown;
}

interface RawTokenLogprob {
  token?: unknown;
  logprob?: unknown;
  top_logprobs?: unknown;
}

const isTokenEntry = (t: RawTokenLogprob | null | undefined): t is RawTokenLogprob & { token: string; logprob: number } =>
  typeof t?.token === "string" && typeof t.logprob === "number";

/** A choice's `logprobs.content` as plain tokens; null when absent or malformed (never a guess). */
function readLogprobs(raw: unknown): TokenLogprob[] | null {
  const content = (raw as { content?: unknown } | null | undefined)?.content;
  if (!Array.isArray(content) || content.length === 0) return null;
  const out: TokenLogprob[] = [];
  for (const t of content as RawTokenLogprob[]) {
    if (!isTokenEntry(t)) return null;
    const top = Array.isArray(t.top_logprobs) ? (t.top_logprobs as RawTokenLogprob[]).filter(isTokenEntry) : [];
    out.push({ token: t.token, logprob: t.logprob, top: top.map((a) => ({ token: a.token, logprob: a.logprob })) });
  }
  return out;
}

function indexOf(c: ChoiceLike | null, fallback: number): number {
  return typeof c?.index === "number" ? c.index : fallback;
}

function count(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}
