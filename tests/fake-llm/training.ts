import type { Behavior, FakeChatRequest } from "./server";
import { extractAnswers, judgmentFor, mulberry32, type Letter } from "./judges";

/**
 * Fake generator, classifier and judge for the self-taught loop, behind one behaviour that tells
 * the requests apart by their prompts:
 * - classification (the curation prompt) → a category, from keywords in the instruction;
 * - pair synthesis (the `[User Question Modified]` prompt) → x' and y_l in the paper's blocks, or a
 *   malformed / same-instruction reply for a fixed share of instructions;
 * - judging (the MT-Bench blocks) → a verdict that "knows" y_w: the generator marks its direct
 *   answers with MARKER, and the judge picks the marked side with a per-judge probability;
 * - anything else is the generator answering x directly, with MARKER.
 */

export const MARKER = "[ok]";
/** The reasoning of a position-biased sample: it judged by where the answer stood. */
export const POSITION_REASON = "The first answer reads well and covers the question.";

export interface TrainingFakeOptions {
  seed?: number;
  /** Probability that one judgment sample picks the marked answer, per asking judge. */
  accuracy?: (req: FakeChatRequest) => number;
  /** Share of instructions whose synthesis reply lacks the blocks. Default 0.1. */
  malformedRate?: number;
  /** Share of instructions whose "modified" instruction is the original. Default 0.05. */
  sameInstructionRate?: number;
  /**
   * Share of pairs on which the asking judge cannot tell the answers apart and picks whichever is
   * shown first in every sample (position bias). Decided per (question, judge model), so the same
   * pair is biased in both answer orders. Such samples say POSITION_REASON. Default 0.
   */
  positionBias?: (req: FakeChatRequest) => number;
  /** Holds judge requests sent with temperature > 0 (annotation) until it resolves; see `gate`. */
  annotationGate?: (req: FakeChatRequest) => Promise<void> | void;
}

/** Few-shot turns are earlier assistant messages in the chat. */
export function hasFewShot(req: FakeChatRequest): boolean {
  return req.messages.some((m) => m.role === "assistant");
}

/** A "trained" judge: fine-tuned (ft:…), few-shot, or registered from outside (…-external). */
export function isTrainedJudge(req: FakeChatRequest): boolean {
  return req.model.startsWith("ft:") || hasFewShot(req) || req.model.includes("external");
}

/** Default: the seed judge is right 65% of the time per sample, a trained one 95%. */
export const defaultAccuracy = (req: FakeChatRequest) => (isTrainedJudge(req) ? 0.95 : 0.65);

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const KEYWORDS: Array<[RegExp, string]> = [
  [/\b(code|function|python|sql|bug|regex)\b/i, "Coding"],
  [/\b(sum|solve|equation|integral|prime|math)\b/i, "Mathematical reasoning"],
  [/\b(why|explain|reason)\b/i, "Knowledge and reasoning"],
  [/\b(poem|story|haiku)\b/i, "Creative writing"],
  [/\b(summari[sz]e|tl;?dr)\b/i, "Summarization"],
  [/\b(advice|should i)\b/i, "Asking for advice"],
];

export function fakeCategory(instruction: string): string {
  return KEYWORDS.find(([re]) => re.test(instruction))?.[1] ?? "Open QA";
}

function lastUser(req: FakeChatRequest): string {
  return [...req.messages].reverse().find((m) => m.role === "user")?.content ?? "";
}

function between(text: string, start: string, end: string): string {
  const i = text.indexOf(start);
  if (i < 0) return "";
  const j = text.indexOf(end, i + start.length);
  return text.slice(i + start.length, j < 0 ? undefined : j).trim();
}

export interface TrainingFake {
  behavior: Behavior;
  counts: { classify: number; generate: number; modify: number; judge: number; annotate: number };
}

export function trainingFake(o: TrainingFakeOptions = {}): TrainingFake {
  const seed = o.seed ?? 7;
  const accuracy = o.accuracy ?? defaultAccuracy;
  const positionBias = o.positionBias ?? (() => 0);
  const malformed = o.malformedRate ?? 0.1;
  const same = o.sameInstructionRate ?? 0.05;
  const seen = new Map<string, number>();
  const counts = { classify: 0, generate: 0, modify: 0, judge: 0, annotate: 0 };

  const behavior: Behavior = async (req, ctx) => {
    const user = lastUser(req);
    if (user.includes("Classify the user instruction below")) {
      counts.classify += 1;
      return fakeCategory(between(user, "<instruction>", "</instruction>"));
    }
    const shown = extractAnswers(req);
    if (shown) {
      counts.judge += 1;
      if ((req.temperature ?? 0) > 0) {
        counts.annotate += 1;
        await o.annotationGate?.(req);
      }
      const prompt = JSON.stringify(req.messages) + req.model;
      const k = seen.get(prompt) ?? 0;
      seen.set(prompt, k + 1);
      const rand = mulberry32(seed ^ hash(prompt) ^ Math.imul(k + 1, 0x9e3779b1));
      const a = shown.a.includes(MARKER);
      const b = shown.b.includes(MARKER);
      const right: Letter = a === b ? "C" : a ? "A" : "B";
      const p = accuracy(req);
      const bias = positionBias(req);
      const biasedPair = bias > 0 && (hash(`${seed}:bias:${req.model}:${shown.question}`) % 10_000) / 10_000 < bias;
      return Array.from({ length: ctx.choices }, () => {
        if (biasedPair) return judgmentFor(req, "A", POSITION_REASON);
        if (rand() < p) return judgmentFor(req, right);
        const r = rand();
        if (r < 0.5) return judgmentFor(req, right === "A" ? "B" : "A");
        if (r < 0.8) return judgmentFor(req, "C");
        return "Both answers have merits; I cannot pick one.";
      });
    }
    if (user.includes("[User Question Modified]")) {
      counts.modify += 1;
      const x = between(user, "[User Question]", "\n\nFirst write");
      const u = (hash(`${seed}:${x}`) % 1000) / 1000;
      if (u < malformed) return `Sure! Here is a modified question: ${x} (in more detail). And an answer.`;
      const modified = u < malformed + same ? x : `${x} Answer only for the simplest special case.`;
      return (
        `[User Question Modified]\n${modified}\n` +
        "[The start of Assistant's answer to the modified instruction]\n" +
        `For the simplest special case only: a short answer that ignores the rest of "${x.slice(0, 40)}".\n` +
        "[The end of Assistant's answer to the modified instruction]"
      );
    }
    counts.generate += 1;
    return `A complete, correct answer to "${user.slice(0, 60)}". ${MARKER}`;
  };
  return { behavior, counts };
}

/** A pausable gate: `hold()` makes waiters block until `release()`. */
export function createGate() {
  let open = true;
  let waiters: Array<() => void> = [];
  return {
    wait(): Promise<void> {
      return open ? Promise.resolve() : new Promise((r) => waiters.push(r));
    },
    hold() {
      open = false;
    },
    release() {
      open = true;
      const w = waiters;
      waiters = [];
      for (const r of w) r();
    },
    get waiting() {
      return waiters.length;
    },
  };
}

/** Instructions with varied categories for a test pool. */
export function samplePool(n: number, prefix = "q"): Array<{ instruction: string }> {
  const topics = [
    "Write a python function that reverses a list",
    "Solve the equation 3x + 5 = 20 and explain each step",
    "Explain why the sky is blue",
    "Write a short poem about autumn",
    "Summarize the plot of Hamlet",
    "What is the capital of Australia",
    "Should I learn Rust or Go first, any advice",
    "Fix the bug in this SQL query: SELECT * FORM users",
  ];
  return Array.from({ length: n }, (_, i) => ({ instruction: `${topics[i % topics.length]} (${prefix}${i})` }));
}
