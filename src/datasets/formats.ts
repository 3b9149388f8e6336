import { createHash } from "node:crypto";
import type { DatasetFormat, DatasetLabel, StoredDialogue } from "../db/schema";
import {
  dialogueInstruction,
  divergentConversationProblems,
  sharedConversationProblems,
  type DialogueProblem,
  type Turn,
} from "../judging/dialogue";

// Pure: one record of a public benchmark file in, the labelled pairs it stands for out.
// Field names are exactly those of the published files (see README, "Benchmark datasets").

export const DATASET_FORMATS = ["rewardbench", "judgebench", "mt-bench-human", "rm-bench", "pairs"] as const satisfies readonly DatasetFormat[];

export interface DatasetItemInput {
  subset: string;
  externalId: string | null;
  instruction: string;
  dialogue: StoredDialogue | null;
  responseA: string;
  responseB: string;
  label: DatasetLabel;
  meta: Record<string, unknown>;
  pairHash: string;
  contentHash: string;
}

/** A record that does not fit its format: `field` is named in the 422 with the record's position. */
export class RecordError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Rec = Record<string, unknown>;

function str(r: Rec, field: string, opts: { optional?: boolean } = {}): string {
  const v = r[field];
  if ((v === undefined || v === null) && opts.optional) return "";
  if (typeof v !== "string") throw new RecordError(field, v === undefined || v === null ? "is missing" : "must be a string");
  if (!opts.optional && v.trim() === "") throw new RecordError(field, "must not be empty");
  return v;
}

/** Ids come as strings or numbers (Parquet int64 arrives as a bigint). */
function idOf(r: Rec, field: string, opts: { optional?: boolean } = {}): string | null {
  const v = r[field];
  if (v === undefined || v === null) {
    if (opts.optional) return null;
    throw new RecordError(field, "is missing");
  }
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") return String(v);
  throw new RecordError(field, "must be a string or a number");
}

function intOf(r: Rec, field: string): number {
  const v = r[field];
  const n = typeof v === "bigint" ? Number(v) : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new RecordError(field, v === undefined ? "is missing" : "must be an integer");
  return n;
}

function sha(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

function finish(p: Omit<DatasetItemInput, "pairHash" | "contentHash">, labeller: unknown = null): DatasetItemInput {
  // What is judged: the question (and dialogue) and the two answers in their stored positions.
  const pairHash = sha([p.instruction, p.dialogue, p.responseA, p.responseB]);
  // A row: the pair, its label, its subset and who labelled it (several people may label one pair).
  const contentHash = sha([pairHash, p.label, p.subset, labeller, p.meta.cell ?? null]);
  return { ...p, pairHash, contentHash };
}

function problemsToError(problems: DialogueProblem[]): RecordError {
  const first = problems[0]!;
  return new RecordError(first.path, first.message);
}

function turnsOf(r: Rec, field: string): Turn[] {
  const v = r[field];
  if (!Array.isArray(v)) throw new RecordError(field, v === undefined ? "is missing" : "must be a list of {role, content} messages");
  // Parquet structs may carry extra keys; keep role and content only.
  return v.map((t: unknown) => {
    const o = (t ?? {}) as Rec;
    return { role: o.role as Turn["role"], content: o.content as string };
  });
}

function rewardbench(r: Rec): DatasetItemInput[] {
  const meta: Rec = {};
  for (const k of ["chosen_model", "rejected_model"]) if (typeof r[k] === "string") meta[k] = r[k];
  return [
    finish({
      subset: str(r, "subset"),
      externalId: idOf(r, "id", { optional: true }),
      instruction: str(r, "prompt"),
      dialogue: null,
      responseA: str(r, "chosen"),
      responseB: str(r, "rejected"),
      label: "A",
      meta,
    }),
  ];
}

/** JudgeBench's own categories of its `source` values. */
export function judgebenchCategory(source: string): string {
  if (source.startsWith("mmlu-pro")) return "knowledge";
  if (source === "livebench-reasoning") return "reasoning";
  if (source === "livebench-math") return "math";
  if (source === "livecodebench") return "coding";
  return source;
}

function judgebench(r: Rec): DatasetItemInput[] {
  const label = str(r, "label");
  if (label !== "A>B" && label !== "B>A") throw new RecordError("label", 'must be "A>B" or "B>A"');
  const source = str(r, "source");
  const meta: Rec = { source };
  for (const k of ["original_id", "response_model"]) if (r[k] !== undefined && r[k] !== null) meta[k] = String(r[k]);
  return [
    finish({
      subset: judgebenchCategory(source),
      externalId: idOf(r, "pair_id"),
      instruction: str(r, "question"),
      dialogue: null,
      responseA: str(r, "response_A"),
      responseB: str(r, "response_B"),
      label: label === "A>B" ? "A" : "B",
      meta,
    }),
  ];
}

const MT_WINNERS: Record<string, DatasetLabel> = { model_a: "A", model_b: "B", tie: "tie", "tie (bothbad)": "tie" };

function mtBenchHuman(r: Rec): DatasetItemInput[] {
  const winner = str(r, "winner");
  const label = MT_WINNERS[winner];
  if (!label) throw new RecordError("winner", 'must be "model_a", "model_b", "tie" or "tie (bothbad)"');
  const turn = intOf(r, "turn");
  if (turn < 1) throw new RecordError("turn", "must be 1 or more");
  const a = turnsOf(r, "conversation_a");
  const b = turnsOf(r, "conversation_b");
  // The judged turn t: the conversations up to the t-th assistant reply.
  const upTo = (turns: Turn[]) => {
    let assistants = 0;
    const cut = turns.findIndex((t) => t.role === "assistant" && ++assistants === turn);
    return cut < 0 ? turns : turns.slice(0, cut + 1);
  };
  const ca = upTo(a);
  const cb = upTo(b);
  const problems = divergentConversationProblems(ca, cb);
  if (problems.length > 0) throw problemsToError(problems);
  if (ca.filter((t) => t.role === "assistant").length < turn) throw new RecordError("turn", `the conversations have no turn ${turn}`);
  const replies = { responseA: ca.at(-1)!.content, responseB: cb.at(-1)!.content };
  // Turn 1 shares its context (the first question); from turn 2 on the earlier replies differ.
  const dialogue: StoredDialogue = turn === 1 ? { conversation: ca.slice(0, -1) } : { conversation_a: ca, conversation_b: cb };
  const judge = r.judge === undefined || r.judge === null ? null : String(r.judge);
  const meta: Rec = {
    question_id: idOf(r, "question_id"),
    model_a: str(r, "model_a"),
    model_b: str(r, "model_b"),
    winner,
    judge,
    turn,
  };
  return [
    finish(
      {
        subset: `turn-${turn}`,
        externalId: `${String(meta.question_id)}:${String(meta.model_a)}:${String(meta.model_b)}:${turn}`,
        instruction: dialogueInstruction(dialogue),
        dialogue,
        ...replies,
        label,
        meta,
      },
      judge,
    ),
  ];
}

export const RM_BENCH_STYLES = ["concise", "detailed", "markdown"] as const;

function rmBench(r: Rec): DatasetItemInput[] {
  const prompt = str(r, "prompt");
  const domain = str(r, "domain");
  const id = idOf(r, "id");
  const list = (field: "chosen" | "rejected") => {
    const v = r[field];
    if (!Array.isArray(v) || v.length !== 3 || v.some((s) => typeof s !== "string" || s.trim() === "")) {
      throw new RecordError(field, "must be a list of 3 non-empty strings (concise, detailed, markdown)");
    }
    return v as string[];
  };
  const chosen = list("chosen");
  const rejected = list("rejected");
  const out: DatasetItemInput[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      out.push(
        finish({
          subset: domain,
          externalId: `${id}:${i}${j}`,
          instruction: prompt,
          dialogue: null,
          responseA: chosen[i]!,
          responseB: rejected[j]!,
          label: "A",
          meta: { id, cell: [i, j], chosen_style: RM_BENCH_STYLES[i], rejected_style: RM_BENCH_STYLES[j] },
        }),
      );
    }
  }
  return out;
}

const LABELS: readonly string[] = ["A", "B", "tie"];

function pairs(r: Rec): DatasetItemInput[] {
  const label = str(r, "label");
  if (!LABELS.includes(label)) throw new RecordError("label", 'must be "A", "B" or "tie"');
  const category = r.category === undefined || r.category === null ? "uncategorized" : str(r, "category");
  const meta: Rec = {};
  if (r.source !== undefined && r.source !== null) meta.source = str(r, "source");
  let dialogue: StoredDialogue | null = null;
  let instruction: string;
  let responseA: string;
  let responseB: string;
  if (r.conversation_a !== undefined || r.conversation_b !== undefined) {
    const problems = divergentConversationProblems(r.conversation_a, r.conversation_b);
    if (problems.length > 0) throw problemsToError(problems);
    const d = { conversation_a: turnsOf(r, "conversation_a"), conversation_b: turnsOf(r, "conversation_b") };
    dialogue = d;
    instruction = dialogueInstruction(d);
    responseA = d.conversation_a.at(-1)!.content;
    responseB = d.conversation_b.at(-1)!.content;
  } else {
    if (r.conversation !== undefined) {
      const problems = sharedConversationProblems(r.conversation);
      if (problems.length > 0) throw problemsToError(problems);
      const d = { conversation: turnsOf(r, "conversation") };
      dialogue = d;
      instruction = dialogueInstruction(d);
    } else instruction = str(r, "instruction");
    responseA = str(r, "response_a");
    responseB = str(r, "response_b");
  }
  return [
    finish(
      {
        subset: category,
        externalId: idOf(r, "id", { optional: true }),
        instruction,
        dialogue,
        responseA,
        responseB,
        label: label as DatasetLabel,
        meta,
      },
      r.labeller ?? null,
    ),
  ];
}

const MAPPERS: Record<DatasetFormat, (r: Rec) => DatasetItemInput[]> = {
  rewardbench,
  judgebench,
  "mt-bench-human": mtBenchHuman,
  "rm-bench": rmBench,
  pairs,
};

/** The pairs one record stands for (RM-Bench: 9); throws RecordError naming the bad field. */
export function mapRecord(format: DatasetFormat, value: unknown): DatasetItemInput[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RecordError("", "must be a JSON object");
  return MAPPERS[format](value as Rec);
}

/** Whether the labels of a format come from people (agreement statistics apply). */
export function humanLabelled(format: DatasetFormat, meta: Record<string, unknown>): boolean {
  return format === "mt-bench-human" || (format === "pairs" && meta.source === "human");
}

/** Formats that store the chosen answer as response_a: shown in a random order when only one order is judged. */
export function chosenFirst(format: DatasetFormat): boolean {
  return format === "rewardbench" || format === "rm-bench";
}
