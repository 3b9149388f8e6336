/**
 * Turns one input record into a judge item (pure). Accepts `instruction` or `conversation`
 * (a list of {role, content} turns, rendered as a transcript whose last user turn is the
 * question), `response_a`, `response_b`, optional `id`, `metadata` and a reference field.
 */

export interface PairItem {
  instruction: string;
  response_a: string;
  response_b: string;
  reference?: string;
  metadata?: Record<string, unknown>;
}

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

function renderConversation(turns: unknown): string | { error: string } {
  if (typeof turns === "string") return turns;
  if (!Array.isArray(turns) || turns.length === 0) return { error: "conversation must be a non-empty list of {role, content}" };
  const lines: string[] = [];
  for (const t of turns) {
    if (!t || typeof t !== "object" || typeof (t as any).content !== "string") {
      return { error: "conversation turns need a string content" };
    }
    const role = typeof (t as any).role === "string" ? (t as any).role : "user";
    lines.push(`${role}: ${(t as any).content}`);
  }
  return turns.length === 1 ? (turns[0] as { content: string }).content : lines.join("\n\n");
}

const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

export function preparePair(
  value: Record<string, unknown>,
  line: number,
  opts: { referenceField?: string } = {},
): PreparedPair | { error: string } {
  let instruction: string | undefined = text(value.instruction);
  // A CSV has every column on every row: an empty instruction cell means "use conversation".
  if ((instruction === undefined || instruction === "") && value.conversation !== undefined) {
    const rendered = renderConversation(value.conversation);
    if (typeof rendered !== "string") return rendered;
    instruction = rendered;
  }
  if (instruction === undefined || instruction.trim() === "") return { error: "missing instruction (or conversation)" };
  const a = text(value.response_a);
  const b = text(value.response_b);
  if (a === undefined || a.trim() === "") return { error: "missing response_a" };
  if (b === undefined || b.trim() === "") return { error: "missing response_b" };
  const id = typeof value.id === "string" || typeof value.id === "number" ? value.id : null;
  const item: PairItem = { instruction, response_a: a, response_b: b };
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
