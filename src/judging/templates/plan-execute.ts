import type { ParsedVerdict } from "../parse";
import { formatJudgeTemplate, GROUND_RULES, PAIRWISE_USER } from "./sections";

/**
 * `plan-execute` (EvalPlanner style, arXiv 2501.18099): the judge first writes an evaluation plan
 * for this question, then executes it on both answers, then decides. The output is three blocks,
 * strictly parsed:
 *
 *     [The Start of Evaluation Plan] … [The End of Evaluation Plan]
 *     [The Start of Plan Execution] … [The End of Plan Execution]
 *     [The Start of Verdict] [[A]] | [[B]] | [[C]] [The End of Verdict]
 *
 * Each block exactly once, in this order, none empty, nothing but whitespace around them; the
 * verdict block holds exactly one marker. Anything else is an invalid vote (with the reason),
 * never a guess. Markers inside the plan or the execution do not count.
 */
export const PLAN_BLOCKS = [
  { key: "plan", start: "[The Start of Evaluation Plan]", end: "[The End of Evaluation Plan]" },
  { key: "execution", start: "[The Start of Plan Execution]", end: "[The End of Plan Execution]" },
  { key: "verdict", start: "[The Start of Verdict]", end: "[The End of Verdict]" },
] as const;

export const PLAN_EXECUTE_PROMPT: string = formatJudgeTemplate({
  system: `${GROUND_RULES}

Work in three steps and write each one in its own block, exactly in this shape and order, with nothing before, between or after the blocks:

[The Start of Evaluation Plan]
A short numbered plan for evaluating answers to THIS question, written before you study either answer: what a correct and complete answer must contain, what to check, and how much each check weighs.
[The End of Evaluation Plan]
[The Start of Plan Execution]
Carry out the plan step by step on both answers, noting for each step what each answer gets right and wrong.
[The End of Plan Execution]
[The Start of Verdict]
Exactly one marker and nothing else: [[A]] when Assistant A's answer is better, [[B]] when Assistant B's answer is better, [[C]] when they are equally good.
[The End of Verdict]`,
  user: PAIRWISE_USER,
});

export interface PlanExecuteParts {
  plan: string;
  execution: string;
  verdict: string;
}

export type ParsedPlanExecute = ParsedVerdict & { parts?: PlanExecuteParts };

const VERDICT_ONLY = /^\[\[\s*([abc])\s*\]\]$/i;

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

export function parsePlanExecute(text: string): ParsedPlanExecute {
  if (text.trim() === "") return { vote: "invalid", reason: "empty judgment" };
  for (const b of PLAN_BLOCKS) {
    for (const header of [b.start, b.end]) {
      const n = count(text, header);
      if (n === 0) return { vote: "invalid", reason: `missing ${header}` };
      if (n > 1) return { vote: "invalid", reason: `${header} appears ${n} times` };
    }
  }
  const positions = PLAN_BLOCKS.flatMap((b) => [text.indexOf(b.start), text.indexOf(b.end)]);
  if (positions.some((p, i) => i > 0 && p < positions[i - 1]!)) {
    return { vote: "invalid", reason: "the blocks are not in the order plan, execution, verdict" };
  }
  const parts: Record<string, string> = {};
  let cursor = 0;
  for (const b of PLAN_BLOCKS) {
    const s = text.indexOf(b.start);
    const e = text.indexOf(b.end);
    if (text.slice(cursor, s).trim() !== "") return { vote: "invalid", reason: `text outside the blocks before the ${b.key} block` };
    const body = text.slice(s + b.start.length, e).trim();
    if (body === "") return { vote: "invalid", reason: `the ${b.key} block is empty` };
    parts[b.key] = body;
    cursor = e + b.end.length;
  }
  if (text.slice(cursor).trim() !== "") return { vote: "invalid", reason: "text after the verdict block" };
  const m = VERDICT_ONLY.exec(parts.verdict!);
  if (!m) return { vote: "invalid", reason: "the verdict block must hold exactly one of [[A]], [[B]] or [[C]]" };
  const letter = m[1]!.toUpperCase();
  const vote = letter === "C" ? "tie" : (letter as "A" | "B");
  return { vote, parts: { plan: parts.plan!, execution: parts.execution!, verdict: parts.verdict! } };
}
