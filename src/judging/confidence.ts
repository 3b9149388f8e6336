/**
 * Calibrated confidence from token log-probabilities. Pure: no LLM, database or HTTP.
 *
 * A judge output ends its verdict with a marker [[A]], [[B]] or [[C]]. When the provider returns
 * log-probabilities with their top alternatives (`logprobs`, `top_logprobs`), the token holding
 * the verdict letter tells how much probability the judge put on each letter, which is a better
 * confidence than how many samples agreed (with one sample per order, the vote share is 1 for
 * every consistent verdict).
 *
 * - Per sample: the distribution over A / B / tie at the verdict letter (top alternatives that
 *   read as A, B or C, renormalised), mapped into the caller's frame. None when the provider sent
 *   no log-probabilities, the tokens do not spell the text, or the letter's token cannot be found.
 * - Per order: the mean of its samples' distributions; both orders: the mean of the orders'.
 * - A judgment's confidence is that combined probability of its verdict, when every valid sample
 *   has a distribution; otherwise the vote share stays, and `confidence_source` says which.
 */
import type { TokenLogprob } from "../llm/types";
import type { Order, Verdict, Vote } from "./aggregate";

export type { TokenLogprob };


export type VerdictDistribution = Record<Verdict, number>;
export type ConfidenceSource = "logprobs" | "votes";

const MARKER = /\[\[\s*([abc])\s*\]\]/gi;

/** The offset of the letter inside the last verdict marker of `text`, and the letter. */
function lastMarkerLetter(text: string): { offset: number; letter: "A" | "B" | "C" } | null {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(MARKER)) last = m as RegExpExecArray;
  if (!last) return null;
  const inner = last[0].search(/[abc]/i);
  return { offset: last.index + inner, letter: last[1]!.toUpperCase() as "A" | "B" | "C" };
}

function letterOf(token: string): "A" | "B" | "C" | null {
  const core = token.replace(/[\s[\]]/g, "").toUpperCase();
  return core === "A" || core === "B" || core === "C" ? core : null;
}

/**
 * The judge's probability for each verdict at its marker, in the judge's own frame (A = shown
 * first). `vote` is what the parser read from the text: the distribution is only trusted when
 * the marker it is read at spells that vote.
 */
export function sampleDistribution(text: string, vote: Vote, tokens: readonly TokenLogprob[] | null | undefined): VerdictDistribution | null {
  if (!tokens || tokens.length === 0 || vote === "invalid") return null;
  const marker = lastMarkerLetter(text);
  if (!marker) return null;
  const expected = vote === "tie" ? "C" : vote;
  if (marker.letter !== expected) return null;
  let at = 0;
  let hit: TokenLogprob | null = null;
  for (const t of tokens) {
    if (marker.offset >= at && marker.offset < at + t.token.length) {
      hit = t;
      break;
    }
    at += t.token.length;
  }
  if (!hit || letterOf(hit.token) !== marker.letter) return null;
  const mass = { A: 0, B: 0, C: 0 };
  const seen = new Set<string>();
  for (const alt of [...hit.top, { token: hit.token, logprob: hit.logprob }]) {
    if (seen.has(alt.token)) continue;
    seen.add(alt.token);
    const l = letterOf(alt.token);
    if (l && Number.isFinite(alt.logprob)) mass[l] += Math.exp(alt.logprob);
  }
  const total = mass.A + mass.B + mass.C;
  if (!(total > 0)) return null;
  return { A: mass.A / total, B: mass.B / total, tie: mass.C / total };
}

/** Maps a judge-frame distribution into the caller's frame (order "ba" showed response_b first). */
export function toCallerDistribution(d: VerdictDistribution, order: Order): VerdictDistribution {
  return order === "ab" ? d : { A: d.B, B: d.A, tie: d.tie };
}

function mean(ds: readonly VerdictDistribution[]): VerdictDistribution {
  const out = { A: 0, B: 0, tie: 0 };
  for (const d of ds) {
    out.A += d.A / ds.length;
    out.B += d.B / ds.length;
    out.tie += d.tie / ds.length;
  }
  return out;
}

export interface ScoredSample {
  order: Order;
  vote: Vote;
  /** Caller-frame distribution, or null. */
  distribution: VerdictDistribution | null;
}

/**
 * The combined caller-frame distribution of a judgment's samples, or null when some valid sample
 * has none (then the vote share stays the confidence).
 */
export function combinedDistribution(samples: readonly ScoredSample[]): VerdictDistribution | null {
  const valid = samples.filter((s) => s.vote !== "invalid");
  if (valid.length === 0 || valid.some((s) => s.distribution === null)) return null;
  const perOrder = (["ab", "ba"] as const)
    .map((o) => valid.filter((s) => s.order === o).map((s) => s.distribution!))
    .filter((ds) => ds.length > 0)
    .map(mean);
  return mean(perOrder);
}

/** Weighted mean of distributions (a jury's members, by their weights). */
export function weightedDistribution(parts: ReadonlyArray<{ weight: number; distribution: VerdictDistribution }>): VerdictDistribution | null {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (parts.length === 0 || !(total > 0)) return null;
  const out = { A: 0, B: 0, tie: 0 };
  for (const p of parts) {
    out.A += (p.weight / total) * p.distribution.A;
    out.B += (p.weight / total) * p.distribution.B;
    out.tie += (p.weight / total) * p.distribution.tie;
  }
  return out;
}

/** The confidence of `verdict` and where it came from. */
export function judgmentConfidence(
  verdict: Verdict | null,
  voteShare: number,
  distribution: VerdictDistribution | null,
): { confidence: number; source: ConfidenceSource } {
  if (verdict === null || distribution === null) return { confidence: voteShare, source: "votes" };
  return { confidence: distribution[verdict], source: "logprobs" };
}
