// Multi-turn judging (pure): validating conversations and turning them into what the judge is shown.
//
// Two shapes, as the MT-Bench multi-turn pair setup needs:
// - shared: `conversation` = the earlier turns both assistants saw, ending with a user turn; the two
//   candidate replies are response_a / response_b.
// - divergent: `conversation_a` / `conversation_b` = two full conversations with the same user
//   turns (the assistants' earlier replies differ), each ending with that assistant's last reply.
// The judge sees the whole dialogue and decides which assistant answers the final user turn better.

export type Role = "system" | "user" | "assistant";
export interface Turn {
  role: Role;
  content: string;
}

export type Dialogue = { conversation: Turn[] } | { conversation_a: Turn[]; conversation_b: Turn[] };

export interface DialogueProblem {
  path: string;
  message: string;
}

const ROLES: readonly string[] = ["system", "user", "assistant"];

/** Shape problems of one turn list: roles, contents, optional leading system turn, strict user/assistant alternation. */
function turnProblems(field: string, turns: unknown, lastRole: "user" | "assistant"): DialogueProblem[] {
  if (!Array.isArray(turns)) return [{ path: field, message: "must be an array of {role, content} turns" }];
  if (turns.length === 0) return [{ path: field, message: "must hold at least one turn" }];
  const out: DialogueProblem[] = [];
  let expected: "user" | "assistant" = "user";
  turns.forEach((t: unknown, i) => {
    const at = `${field}.${i}`;
    if (typeof t !== "object" || t === null || Array.isArray(t)) {
      out.push({ path: at, message: "must be an object {role, content}" });
      return;
    }
    const { role, content } = t as Record<string, unknown>;
    if (typeof role !== "string" || !ROLES.includes(role)) {
      out.push({ path: `${at}.role`, message: 'must be "user", "assistant" or "system"' });
      return;
    }
    if (typeof content !== "string" || content.trim() === "") {
      out.push({ path: `${at}.content`, message: "must be a non-empty string" });
    }
    if (role === "system") {
      if (i !== 0) out.push({ path: `${at}.role`, message: "a system turn may only come first" });
      return;
    }
    if (role !== expected) {
      out.push({ path: `${at}.role`, message: `expected a ${expected} turn (user and assistant turns alternate, starting with user)` });
    }
    expected = role === "user" ? "assistant" : "user";
  });
  if (out.length === 0) {
    const last = (turns[turns.length - 1] as Turn).role;
    if (last !== lastRole) out.push({ path: `${field}.${turns.length - 1}.role`, message: `the last turn must be a ${lastRole} turn` });
  }
  return out;
}

/** Problems of a shared conversation (ends with the user turn both replies answer). */
export function sharedConversationProblems(conversation: unknown, field = "conversation"): DialogueProblem[] {
  return turnProblems(field, conversation, "user");
}

/** Problems of two divergent conversations: each well-formed, ending with an assistant turn, same system and user turns. */
export function divergentConversationProblems(a: unknown, b: unknown, fields = ["conversation_a", "conversation_b"] as const): DialogueProblem[] {
  const out = [...turnProblems(fields[0], a, "assistant"), ...turnProblems(fields[1], b, "assistant")];
  if (out.length > 0) return out;
  const ta = a as Turn[];
  const tb = b as Turn[];
  if (ta.length !== tb.length) {
    return [{ path: fields[1], message: `must have as many turns as ${fields[0]} (${ta.length}), has ${tb.length}` }];
  }
  ta.forEach((t, i) => {
    const u = tb[i]!;
    if (t.role !== u.role) out.push({ path: `${fields[1]}.${i}.role`, message: `must be ${t.role} like ${fields[0]}.${i}` });
    else if (t.role !== "assistant" && t.content !== u.content) {
      out.push({ path: `${fields[1]}.${i}.content`, message: `the ${t.role} turns of both conversations must be the same (differs from ${fields[0]}.${i})` });
    }
  });
  return out;
}

export function isDivergent(d: Dialogue): d is { conversation_a: Turn[]; conversation_b: Turn[] } {
  return "conversation_a" in d;
}

/** The final replies a divergent dialogue compares. */
export function finalReplies(d: { conversation_a: Turn[]; conversation_b: Turn[] }): { response_a: string; response_b: string } {
  return { response_a: d.conversation_a.at(-1)!.content, response_b: d.conversation_b.at(-1)!.content };
}

const HEAD: Record<Role, string> = { system: "### System", user: "### User", assistant: "### Assistant" };

function transcript(turns: readonly Turn[], assistantName = "Assistant"): string {
  return turns
    .map((t) => `${t.role === "assistant" ? `### ${assistantName}` : HEAD[t.role]}:\n${t.content}`)
    .join("\n\n");
}

/**
 * The instruction a multi-turn request stands for: the dialogue so far, ending with the last user
 * turn. It is what the judge reads as the question, what is stored as the judgment's instruction
 * and what training mines (the last user turn with its context).
 */
export function dialogueInstruction(d: Dialogue): string {
  if (!isDivergent(d)) {
    if (d.conversation.length === 1) return d.conversation[0]!.content;
    return `[Conversation so far; judge the replies to the final user turn]\n\n${transcript(d.conversation)}`;
  }
  // The user (and system) turns are the same in both conversations.
  const shared = d.conversation_a.filter((t) => t.role !== "assistant");
  const last = shared.filter((t) => t.role === "user").at(-1)!;
  return (
    "[Multi-turn conversation: each assistant's whole conversation with the user is shown as its answer. " +
    "Judge which assistant answers the final user question better, in the context of its own earlier replies.]\n\n" +
    `Final user question:\n${last.content}`
  );
}

/**
 * The instruction stored with a multi-turn judgment and mined by training: the last user turn
 * with the conversation before it, with no judging wording (training generates answers to it).
 * Two divergent conversations differ in their earlier assistant turns; assistant A's is used.
 */
export function contextInstruction(d: Dialogue): string {
  const turns = isDivergent(d) ? d.conversation_a.slice(0, -1) : d.conversation;
  if (turns.length === 1) return turns[0]!.content;
  return `[Conversation so far; reply to the final user turn]\n\n${transcript(turns)}`;
}

/** The final user turn of a dialogue (what a listing previews). */
export function lastUserTurn(d: Dialogue): string {
  const turns = isDivergent(d) ? d.conversation_a : d.conversation;
  return turns.filter((t) => t.role === "user").at(-1)?.content ?? "";
}

/**
 * What the judge is shown for a dialogue: the instruction block, and as the two answers either the
 * two replies (shared context) or the two whole conversations (MT-Bench's multi-turn pair layout).
 */
export function dialogueView(d: Dialogue, replies: { response_a: string; response_b: string }): { instruction: string; response_a: string; response_b: string } {
  if (!isDivergent(d)) return { instruction: dialogueInstruction(d), ...replies };
  return {
    instruction: dialogueInstruction(d),
    response_a: transcript(d.conversation_a),
    response_b: transcript(d.conversation_b),
  };
}
