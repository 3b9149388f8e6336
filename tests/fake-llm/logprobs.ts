/**
 * Token log-probabilities for the fake LLM, shaped like OpenAI's `choices[].logprobs.content`.
 *
 * The text is cut into tokens that spell it exactly ("[[", the verdict letter, "]]", words and
 * whitespace). Every token is certain (logprob 0) except the letter of the LAST verdict marker,
 * whose top alternatives carry the probabilities the behaviour gave (A, B, C). Without given
 * probabilities the default is 0.9 on the written letter and 0.05 on each other one.
 */
export type VerdictProbs = { A: number; B: number; C: number };

export interface ScoredChoice {
  text: string;
  /** Probabilities of the three verdict letters at the marker, in the judge's own frame. */
  probs?: VerdictProbs;
  /** false: this choice carries no logprobs even when asked (a provider that drops them). */
  logprobs?: boolean;
}

/** A behaviour reply whose choices carry verdict probabilities. */
export interface ScoredReply {
  scored: ScoredChoice[];
}

export function isScoredReply(r: unknown): r is ScoredReply {
  return typeof r === "object" && r !== null && Array.isArray((r as { scored?: unknown }).scored);
}

const TOKEN = /\[\[|\]\]|\s+|[^\s[\]]+|[[\]]/g;
const MARKER = /\[\[\s*([ABC])\s*\]\]/g;

function defaultProbs(letter: "A" | "B" | "C"): VerdictProbs {
  const p = { A: 0.05, B: 0.05, C: 0.05 };
  p[letter] = 0.9;
  return p;
}

export function tokenLogprobs(text: string, probs: VerdictProbs | undefined, top: number) {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(MARKER)) last = m as RegExpExecArray;
  const letterAt = last ? last.index + last[0].indexOf(last[1]!) : -1;
  const out: Array<{ token: string; logprob: number; bytes: null; top_logprobs: Array<{ token: string; logprob: number; bytes: null }> }> = [];
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0];
    if (at === letterAt && last) {
      const p = probs ?? defaultProbs(last[1] as "A" | "B" | "C");
      const alts = (["A", "B", "C"] as const)
        .map((l) => ({ token: l, logprob: Math.log(p[l]), bytes: null }))
        .sort((x, y) => y.logprob - x.logprob)
        .slice(0, Math.max(1, top));
      out.push({ token, logprob: Math.log(p[token as "A" | "B" | "C"]), bytes: null, top_logprobs: alts });
    } else {
      out.push({ token, logprob: 0, bytes: null, top_logprobs: top > 0 ? [{ token, logprob: 0, bytes: null }] : [] });
    }
    at += token.length;
  }
  return { content: out, refusal: null };
}
