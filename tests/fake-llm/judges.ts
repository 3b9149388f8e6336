import { errorReply, HANG, type Behavior, type FakeChatRequest } from "./server";

/**
 * Ready-made judge behaviours. They read the two answers out of the rendered prompt (the default
 * template's delimiters), so they react to what the judge code really sent, including swaps.
 * Every reply states a reason before its marker, like a real judge.
 */

export interface ShownAnswers {
  question: string;
  a: string;
  b: string;
}

function between(text: string, start: string, end: string): string | null {
  const i = text.indexOf(start);
  if (i < 0) return null;
  const j = text.indexOf(end, i + start.length);
  return j < 0 ? null : text.slice(i + start.length, j).trim();
}

/** The answers shown as Assistant A and B in the last user message, or null if absent. */
export function extractAnswers(req: Pick<FakeChatRequest, "messages">): ShownAnswers | null {
  const user = [...req.messages].reverse().find((m) => m.role === "user");
  if (!user) return null;
  const a = between(user.content, "[The Start of Assistant A's Answer]", "[The End of Assistant A's Answer]");
  const b = between(user.content, "[The Start of Assistant B's Answer]", "[The End of Assistant B's Answer]");
  if (a === null || b === null) return null;
  const question = between(user.content, "[User Question]", "[The Start of") ?? "";
  return { question, a, b };
}

export type Letter = "A" | "B" | "C";

/** Which shown position holds the answer marked GOOD; C when both or neither do. */
export function oracleLetter(req: Pick<FakeChatRequest, "messages">, marker = "GOOD"): Letter {
  const shown = extractAnswers(req);
  if (!shown) return "C";
  const a = shown.a.includes(marker);
  const b = shown.b.includes(marker);
  return a === b ? "C" : a ? "A" : "B";
}

const REASONS: Record<Letter, string> = {
  A: "Assistant A's answer addresses the question more accurately and completely.",
  B: "Assistant B's answer addresses the question more accurately and completely.",
  C: "Both answers are of comparable quality.",
};

export function judgment(letter: Letter): string {
  return `${REASONS[letter]}\n\nFinal verdict: [[${letter}]]`;
}

/** True when the request uses the plan-execute template (it asks for the plan block). */
export function asksForPlan(req: Pick<FakeChatRequest, "messages">): boolean {
  return req.messages.some((m) => m.role === "system" && m.content.includes("[The Start of Evaluation Plan]"));
}

/** A judgment in the plan-execute format: plan, execution, verdict blocks. */
export function planJudgment(letter: Letter, reason = REASONS[letter]): string {
  return (
    "[The Start of Evaluation Plan]\n1. Check that the answer addresses the exact question asked.\n2. Check correctness.\n3. Check completeness.\n[The End of Evaluation Plan]\n" +
    `[The Start of Plan Execution]\n${reason}\n[The End of Plan Execution]\n` +
    `[The Start of Verdict]\n[[${letter}]]\n[The End of Verdict]`
  );
}

/** The judgment in whichever format the request's template asks for, with an optional reason. */
export function judgmentFor(req: Pick<FakeChatRequest, "messages">, letter: Letter, reason?: string): string {
  if (asksForPlan(req)) return planJudgment(letter, reason);
  return reason === undefined ? judgment(letter) : `${reason}\n\nFinal verdict: [[${letter}]]`;
}

export const oracleJudge: Behavior = (req) => judgmentFor(req, oracleLetter(req));

/** Always prefers whatever is shown first: the position bias swapping must expose. */
export const positionBiasedJudge: Behavior = () =>
  "The first answer reads well and covers the question.\n\nFinal verdict: [[A]]";

export const garbageJudge: Behavior = () =>
  "Both answers have merits and drawbacks; it is hard to say which one I would pick.";

/** Restates the answer format (with markers) before giving the real verdict. */
export const restatingJudge: Behavior = (req) => {
  const letter = oracleLetter(req);
  return (
    "I must output [[A]] if Assistant A is better, [[B]] if Assistant B is better, and [[C]] for a tie. " +
    `${REASONS[letter]}\n\nFinal verdict: [[${letter}]]`
  );
};

export const hangingJudge: Behavior = () => HANG;

import { mulberry32 } from "../../src/lib/rng";

export { mulberry32 };

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Right (the oracle's letter) with probability pCorrect per sample, otherwise a wrong letter.
 * The stream is seeded by (seed, prompt, how often this prompt was seen), so results do not depend
 * on which of two concurrent requests arrives first.
 */
export function noisyJudge(pCorrect: number, seed: number): Behavior {
  const seen = new Map<string, number>();
  return (req, ctx) => {
    const prompt = JSON.stringify(req.messages);
    const k = seen.get(prompt) ?? 0;
    seen.set(prompt, k + 1);
    const rand = mulberry32(seed ^ hash(prompt) ^ Math.imul(k + 1, 0x9e3779b1));
    const right = oracleLetter(req);
    const wrong = (["A", "B", "C"] as const).filter((l) => l !== right);
    return Array.from({ length: ctx.choices }, () => {
      const letter = rand() < pCorrect ? right : wrong[Math.floor(rand() * wrong.length)]!;
      return judgmentFor(req, letter);
    });
  };
}

/** Fixed sequence of verdict letters over the choices of each request (cycled). */
export function scriptedJudge(letters: readonly (Letter | "garbage")[]): Behavior {
  return (_req, ctx) =>
    Array.from({ length: ctx.choices }, (_, i) => {
      const l = letters[i % letters.length]!;
      return l === "garbage" ? "I cannot decide between these answers." : judgment(l);
    });
}

export interface RateLimitOptions {
  /** How many requests get a 429 before `then` answers. Default 1. */
  times?: number;
  /** Sent as retry-after-ms (milliseconds) to keep tests fast. Default 20. */
  retryAfterMs?: number;
  /** Sent as Retry-After in seconds instead of retry-after-ms when set. */
  retryAfterSeconds?: number;
}

function rateLimitHeaders(o: RateLimitOptions): Record<string, string> {
  return o.retryAfterSeconds !== undefined
    ? { "retry-after": String(o.retryAfterSeconds) }
    : { "retry-after-ms": String(o.retryAfterMs ?? 20) };
}

/** The first `times` requests are rate limited, then `then` answers. */
export function rateLimitOnce(then: Behavior, o: RateLimitOptions = {}): Behavior {
  let limited = 0;
  return (req, ctx) => {
    if (limited < (o.times ?? 1)) {
      limited += 1;
      return errorReply(429, "Rate limit reached, slow down", rateLimitHeaders(o));
    }
    return then(req, ctx);
  };
}

export function rateLimitForever(o: RateLimitOptions = {}): Behavior {
  return () => errorReply(429, "Rate limit reached, slow down", rateLimitHeaders(o));
}

export function failWith(status: number, message = `fake failure ${status}`, headers?: Record<string, string>): Behavior {
  return () => errorReply(status, message, headers);
}

/** Rejects n > 1 the way some servers do (400 naming the parameter), otherwise delegates. */
export function rejectsN(then: Behavior): Behavior {
  return (req, ctx) =>
    (req.n ?? 1) > 1
      ? { status: 400, body: { error: { message: "'n' : number must be at most 1", type: "invalid_request_error", param: "n", code: null } } }
      : then(req, ctx);
}
