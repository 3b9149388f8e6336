import type { JudgeRequest } from "../../client";
import { divergentConversationProblems, sharedConversationProblems, type Turn } from "../../judging/dialogue";

/**
 * Turns one input record into a judge item (pure). Accepts `instruction`, or `conversation` (the
 * {role, content} turns both replies continue, ending with a user turn), with `response_a` and
 * `response_b`; or `conversation_a` / `conversation_b` (two whole conversations with the same user
 * turns, each ending with its assistant's reply). Conversations go to the server as they are, so
 * the judge sees the whole dialogue. Also optional `id`, `metadata` and a reference field.
 */

/** The judge fields of one pair, typed by the route's schema through the client: a change there breaks this. */
export type PairItem = Pick<
  JudgeRequest,
  "instruction" | "conversation" | "conversation_a" | "conversation_b" | "response_a" | "response_b" | "reference" | "metadata"
>;

export type PairKey = string;

export interface PreparedPair {
  line: number;
  /** The input's id as given (string or number), or null. */
  id: string | number | null;
  /** What resume matches on: the id when there is one, else the line. */
  key: PairKey;
  item: PairItem;
}

export function pairKey(id: unknown, line: number): PairKey {
  return typeof id === "string" || typeof id === "number" ? `id:${id}` : `line:${line}`;
}

/** Only role and content of each turn are sent (the server refuses unknown turn fields). */
const turnsOf = (v: unknown): Turn[] =>
  (v as Array<{ role: Turn["role"]; content: string }>).map((t) => ({ role: t.role, content: t.content }));

const firstProblem = (ps: Array<{ path: string; message: string }>) => (ps.length ? { error: `${ps[0]!.path}: ${ps[0]!.message}` } : null);

/** A CSV has every column on every row: an empty cell means "not given". */
const given = (v: unknown) => v !== undefined && v !== null && v !== "";

const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

export function preparePair(
  value: Record<string, unknown>,
  line: number,
  opts: { referenceField?: string } = {},
): PreparedPair | { error: string } {
  const id = typeof value.id === "string" || typeof value.id === "number" ? value.id : null;
  let item: PairItem;
  if (given(value.conversation_a) || given(value.conversation_b)) {
    const bad = firstProblem(divergentConversationProblems(value.conversation_a, value.conversation_b));
    if (bad) return bad;
    item = { conversation_a: turnsOf(value.conversation_a), conversation_b: turnsOf(value.conversation_b) };
  } else {
    const a = text(value.response_a);
    const b = text(value.response_b);
    const instruction = text(value.instruction);
    if (instruction !== undefined && instruction.trim() !== "") item = { instruction };
    else if (typeof value.conversation === "string" && value.conversation.trim() !== "") item = { instruction: value.conversation };
    else if (given(value.conversation)) {
      const bad = firstProblem(sharedConversationProblems(value.conversation));
      if (bad) return bad;
      item = { conversation: turnsOf(value.conversation) };
    } else return { error: "missing instruction (or conversation)" };
    if (a === undefined || a.trim() === "") return { error: "missing response_a" };
    if (b === undefined || b.trim() === "") return { error: "missing response_b" };
    item.response_a = a;
    item.response_b = b;
  }
  const refField = opts.referenceField ?? "reference";
  const ref = text(value[refField]);
  if (ref !== undefined && ref.trim() !== "") item.reference = ref;
  else if (opts.referenceField && value[refField] === undefined) return { error: `missing reference field "${refField}"` };
  if (value.metadata !== undefined && value.metadata !== null) {
    if (typeof value.metadata !== "object" || Array.isArray(value.metadata)) return { error: "metadata must be an object" };
    item.metadata = value.metadata as Record<string, unknown>;
  }
  return { line, id, key: pairKey(id, line), item };
}
