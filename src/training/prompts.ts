import { neutralizeDelimiters } from "../judging/prompt";
import type { ChatMessage } from "../llm/types";
import { normalizeInstruction } from "../db/queries/traffic";

/** y_w: the generator simply answers the instruction. */
export function generatorMessages(instruction: string): ChatMessage[] {
  return [{ role: "user", content: instruction }];
}

export const MODIFIED_QUESTION = "[User Question Modified]";
export const MODIFIED_ANSWER_START = "[The start of Assistant's answer to the modified instruction]";
export const MODIFIED_ANSWER_END = "[The end of Assistant's answer to the modified instruction]";

/**
 * x' and y_l in one call, as in the paper: a closely related but different instruction and a good
 * answer to it, which is therefore a worse answer to the original than y_w.
 */
export function modificationMessages(instruction: string): ChatMessage[] {
  return [
    {
      role: "user",
      content: `Here is an instruction a user gave to an AI assistant.

[User Question]
${neutralizeDelimiters(instruction)}

First write a modified instruction that stays highly relevant to the one above but is not semantically the same: it should ask for something different enough that a good answer to it would not be a fully correct answer to the original. Then write a high-quality answer to your modified instruction. Do not answer the original instruction.

Use exactly this format:
${MODIFIED_QUESTION}
<the modified instruction>
${MODIFIED_ANSWER_START}
<your answer to the modified instruction>
${MODIFIED_ANSWER_END}`,
    },
  ];
}

export type Modification =
  | { ok: true; modified: string; answer: string }
  | { ok: false; reason: "malformed" | "same_instruction" };

function indexOfCI(text: string, needle: string, from: number): number {
  return text.toLowerCase().indexOf(needle.toLowerCase(), from);
}

/** Reads the three blocks in order; anything else, or x' equal to x once normalised, is dropped. */
export function parseModification(text: string, original: string): Modification {
  const q = indexOfCI(text, MODIFIED_QUESTION, 0);
  if (q < 0) return { ok: false, reason: "malformed" };
  const s = indexOfCI(text, MODIFIED_ANSWER_START, q + MODIFIED_QUESTION.length);
  if (s < 0) return { ok: false, reason: "malformed" };
  const e = indexOfCI(text, MODIFIED_ANSWER_END, s + MODIFIED_ANSWER_START.length);
  if (e < 0) return { ok: false, reason: "malformed" };
  const modified = text.slice(q + MODIFIED_QUESTION.length, s).trim();
  const answer = text.slice(s + MODIFIED_ANSWER_START.length, e).trim();
  if (!modified || !answer) return { ok: false, reason: "malformed" };
  if (normalizeInstruction(modified) === normalizeInstruction(original)) return { ok: false, reason: "same_instruction" };
  return { ok: true, modified, answer };
}
