import { extractAnswers, judgmentFor, mulberry32, oracleLetter, type Letter } from "./judges";
import type { Behavior } from "./server";

/**
 * Several judge models behind one fake server, told apart by the request's `model`, each with
 * its own accuracy and position bias, independent of each other:
 * - accuracy: share of items (questions) on which the model knows which answer is GOOD; on the
 *   others it is confidently wrong. Decided per (seed, model, question), so the model answers an
 *   item the same way in both orders and every sample: its errors are its own, not noise.
 * - positionBias: share of items on which it ignores the answers and picks whichever is shown
 *   first (decided the same way, before accuracy).
 * Models without a profile use `fallback`.
 */
export interface JudgeProfile {
  accuracy: number;
  positionBias?: number;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const flip = (l: Letter): Letter => (l === "A" ? "B" : l === "B" ? "A" : "C");

/** What one model answers for one shown pair: the letter, and whether it judged by position. */
export function profileLetter(
  profile: JudgeProfile,
  seed: number,
  model: string,
  req: Parameters<Behavior>[0],
): { letter: Letter; byPosition: boolean } {
  const shown = extractAnswers(req);
  const rand = mulberry32(seed ^ hash(`${model}\u0000${shown?.question ?? ""}`));
  const biased = rand() < (profile.positionBias ?? 0);
  if (biased) return { letter: "A", byPosition: true };
  const right = oracleLetter(req);
  return { letter: rand() < profile.accuracy ? right : flip(right), byPosition: false };
}

export function juryJudge(profiles: Record<string, JudgeProfile>, o: { seed?: number; fallback?: JudgeProfile } = {}): Behavior {
  const seed = o.seed ?? 1;
  const fallback = o.fallback ?? { accuracy: 1 };
  return (req, ctx) => {
    const { letter, byPosition } = profileLetter(profiles[req.model] ?? fallback, seed, req.model, req);
    const text = judgmentFor(req, letter, byPosition ? "The first answer reads well and covers the question." : undefined);
    return Array.from({ length: ctx.choices }, () => text);
  };
}
