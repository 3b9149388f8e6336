import type { ChatMessage } from "../llm/types";

import { formatJudgeTemplate, parseJudgeTemplate, type JudgeTemplate } from "./templates/sections";
import { STANDARD_PROMPT } from "./templates/standard";
import { templateRequirements, type TemplateName } from "./templates";

export { formatJudgeTemplate, parseJudgeTemplate, type JudgeTemplate };

export interface FewShotExample {
  instruction: string;
  response_a: string;
  response_b: string;
  /** The judge's full answer for this pair, in its template's output format. */
  judgment: string;
}

export interface RenderJudgeInput {
  criteria: string;
  instruction: string;
  responseA: string;
  responseB: string;
  reference?: string | null;
  fewShot?: readonly FewShotExample[] | null;
}

export const DEFAULT_CRITERIA =
  "helpfulness, relevance, accuracy, depth, creativity and level of detail";

/** The `standard` template's prompt (see src/judging/templates/). */
export const DEFAULT_JUDGE_TEMPLATE: string = STANDARD_PROMPT;

/** Problems that make a stored template unusable; empty when it is fine. */
export function validateJudgeTemplate(template: string | JudgeTemplate, name: TemplateName = "standard"): string[] {
  const t = parseJudgeTemplate(template);
  const all = `${t.system}\n${t.user}`;
  const problems: string[] = [];
  if (!t.user) problems.push("the {{user}} section is empty");
  for (const p of ["{instruction}", "{response_a}", "{response_b}"]) {
    if (!t.user.includes(p)) problems.push(`the {{user}} section lacks ${p}`);
  }
  if (!all.includes("[[A]]") || !all.includes("[[B]]")) {
    problems.push("the template never tells the judge to answer with [[A]] / [[B]]");
  }
  for (const r of templateRequirements(name)) {
    if (!all.includes(r)) problems.push(`a ${name} template must ask for its blocks: it lacks ${r}`);
  }
  return problems;
}

// A lookalike bracket: the judge still reads the text, but it can no longer equal a delimiter
// or a verdict marker, which are matched on the ASCII "[" only.
const SAFE_OPEN = "\uFF3B"; // ［
const SAFE_CLOSE = "\uFF3D"; // ］
const DELIMITER_OPENING = /\[(?=\s*(?:the\s+(?:start|end)\s+of\b|user\s+question\b|reference\s+answer\b))/gi;

/**
 * Makes user-supplied text unable to close its block, open a new one or plant a verdict marker:
 * "[" before any block-header wording (whatever the casing or spacing, closed or not) and every
 * "[[" / "]]" run become fullwidth brackets.
 */
export function neutralizeDelimiters(text: string): string {
  return text
    .replace(/\[{2,}/g, (m) => SAFE_OPEN.repeat(m.length))
    .replace(/\]{2,}/g, (m) => SAFE_CLOSE.repeat(m.length))
    .replace(DELIMITER_OPENING, SAFE_OPEN);
}

type Slots = Record<"criteria" | "instruction" | "response_a" | "response_b" | "reference_block", string>;
const PLACEHOLDER = /\{(criteria|instruction|response_a|response_b|reference_block)\}/g;

/** Single pass: text that came from a slot is never scanned again, so "{response_b}" inside an answer stays literal. */
function fill(section: string, slots: Slots): string {
  return section.replace(PLACEHOLDER, (_m, key: keyof Slots) => slots[key]);
}

function referenceBlock(reference: string | null | undefined): string {
  if (reference === undefined || reference === null || reference === "") return "";
  return `[The Start of Reference Answer]\n${neutralizeDelimiters(reference)}\n[The End of Reference Answer]\n\n`;
}

function slotsFor(criteria: string, instruction: string, a: string, b: string, reference?: string | null): Slots {
  return {
    criteria,
    instruction: neutralizeDelimiters(instruction),
    response_a: neutralizeDelimiters(a),
    response_b: neutralizeDelimiters(b),
    reference_block: referenceBlock(reference),
  };
}

/**
 * Builds the chat for one judgment. Few-shot examples become earlier user/assistant turns, so a
 * prompt-only trained version shows the judge worked examples in exactly the real format.
 * `criteria` is operator configuration and is inserted as is; every other value is neutralised.
 */
export function renderJudgeMessages(
  template: string | JudgeTemplate,
  input: RenderJudgeInput,
): ChatMessage[] {
  const t = parseJudgeTemplate(template);
  const messages: ChatMessage[] = [];
  const real = slotsFor(input.criteria, input.instruction, input.responseA, input.responseB, input.reference);
  if (t.system) messages.push({ role: "system", content: fill(t.system, real) });
  for (const ex of input.fewShot ?? []) {
    messages.push({
      role: "user",
      content: fill(t.user, slotsFor(input.criteria, ex.instruction, ex.response_a, ex.response_b)),
    });
    messages.push({ role: "assistant", content: ex.judgment });
  }
  messages.push({ role: "user", content: fill(t.user, real) });
  return messages;
}
