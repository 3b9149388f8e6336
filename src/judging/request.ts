import { contextInstruction, finalReplies, isDivergent, type Dialogue, type Turn } from "./dialogue";

// A judge request's three forms (single-turn, shared conversation, two divergent conversations)
// reduced to one shape (pure). The route schema has already checked the form; this only maps it.

/** One judge request, already validated (see JudgeRequestSchema in src/routes/judge). */
export interface JudgeRequest {
  instruction?: string;
  conversation?: Turn[];
  conversation_a?: Turn[];
  conversation_b?: Turn[];
  response_a?: string;
  response_b?: string;
  evaluator?: string;
  version?: string;
  samples?: number;
  swap?: boolean;
  temperature?: number;
  reference?: string | null;
  metadata?: Record<string, unknown>;
  cache?: boolean;
}

export interface JudgedPair {
  /** The question (single-turn), or the last user turn with its context (multi-turn): stored and mined by training. */
  instruction: string;
  response_a: string;
  response_b: string;
  /** The multi-turn form as given; null for a single-turn request. */
  dialogue: Dialogue | null;
}

/** Only the fields of a turn are kept, so what is hashed and stored is exactly role and content. */
const clean = (turns: Turn[]): Turn[] => turns.map((t) => ({ role: t.role, content: t.content }));

export function judgedPair(req: JudgeRequest): JudgedPair {
  let dialogue: Dialogue | null = null;
  if (req.conversation_a && req.conversation_b) dialogue = { conversation_a: clean(req.conversation_a), conversation_b: clean(req.conversation_b) };
  else if (req.conversation) dialogue = { conversation: clean(req.conversation) };
  if (dialogue && isDivergent(dialogue)) return { instruction: contextInstruction(dialogue), ...finalReplies(dialogue), dialogue };
  if (req.response_a === undefined || req.response_b === undefined) throw new TypeError("a judge request without response_a / response_b reached judging");
  const instruction = dialogue ? contextInstruction(dialogue) : req.instruction;
  if (instruction === undefined) throw new TypeError("a judge request without instruction or conversation reached judging");
  return { instruction, response_a: req.response_a, response_b: req.response_b, dialogue };
}
