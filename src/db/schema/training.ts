import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  boolean,
} from "drizzle-orm/pg-core";
import { evaluators } from "./core";
import type { IterationRecord, RunState } from "./training-state";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** The unlabeled instruction pool the self-taught loop mines. */
export const traffic = pgTable(
  "traffic",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Monotonic cursor so curation can stream the pool in pages, whatever its size.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    instruction: text("instruction").notNull(),
    response: text("response"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    source: text("source").$type<"judge" | "ingest">().notNull(),
    hash: text("hash").notNull(),
    category: text("category"),
    split: text("split").$type<"train" | "heldout" | "excluded">(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("traffic_evaluator_hash_uq").on(t.evaluatorId, t.hash),
    index("traffic_evaluator_seq_idx").on(t.evaluatorId, t.seq),
  ],
);

export type TrainingStatus = "queued" | "running" | "waiting_external" | "completed" | "failed" | "canceled";

export const trainingRuns = pgTable(
  "training_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<TrainingStatus>().notNull().default("queued"),
    currentStep: text("current_step"),
    iteration: integer("iteration").notNull().default(0),
    progress: jsonb("progress").$type<Record<string, { done: number; total: number }>>().notNull().default({}),
    counters: jsonb("counters").$type<Record<string, number>>().notNull().default({}),
    usage: jsonb("usage").$type<Record<string, number>>().notNull().default({}),
    iterations: jsonb("iterations").$type<IterationRecord[]>().notNull().default([]),
    state: jsonb("state").$type<RunState>().notNull().default({}),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    trigger: text("trigger").notNull().default("api"),
    poolSeqAtStart: bigint("pool_seq_at_start", { mode: "number" }),
    error: text("error"),
    // A runner owns a run while lease_until is in the future; a second delivery of the same job,
    // or a process that took over from a dead one, waits for the lease to lapse.
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("training_runs_evaluator_created_idx").on(t.evaluatorId, t.createdAt),
    index("training_runs_status_idx").on(t.status),
  ],
);

export const trainingPairs = pgTable(
  "training_pairs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id").notNull().references(() => trainingRuns.id),
    trafficId: uuid("traffic_id").notNull().references(() => traffic.id),
    split: text("split").$type<"train" | "heldout">().notNull(),
    category: text("category"),
    instruction: text("instruction").notNull(),
    // "pending": selected by curation, not yet synthesised.
    status: text("status").$type<"pending" | "built" | "malformed" | "same_instruction" | "failed">().notNull(),
    chosen: text("chosen"),
    modifiedInstruction: text("modified_instruction"),
    rejected: text("rejected"),
    rawSynthesis: text("raw_synthesis"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("training_pairs_run_traffic_uq").on(t.runId, t.trafficId),
    index("training_pairs_traffic_idx").on(t.trafficId),
  ],
);

export const trainingJudgments = pgTable(
  "training_judgments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id").notNull().references(() => trainingRuns.id),
    iteration: integer("iteration").notNull(),
    pairId: uuid("pair_id").notNull().references(() => trainingPairs.id),
    sampleIndex: integer("sample_index").notNull(),
    // "ab": chosen shown as A; "ba": chosen shown as B.
    order: text("order").$type<"ab" | "ba">().notNull(),
    text: text("text").notNull(),
    vote: text("vote").notNull(),
    picksChosen: boolean("picks_chosen").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("training_judgments_uq").on(t.runId, t.iteration, t.pairId, t.sampleIndex)],
);

export const trainingExamples = pgTable(
  "training_examples",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id").notNull().references(() => trainingRuns.id),
    iteration: integer("iteration").notNull(),
    pairId: uuid("pair_id").notNull().references(() => trainingPairs.id),
    kind: text("kind").$type<"sft" | "dpo">().notNull(),
    order: text("order").$type<"ab" | "ba">().notNull(),
    label: text("label").$type<"A" | "B">().notNull(),
    prompt: jsonb("prompt").$type<Array<{ role: string; content: string }>>().notNull(),
    chosenJudgment: text("chosen_judgment").notNull(),
    rejectedJudgment: text("rejected_judgment"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("training_examples_uq").on(t.runId, t.iteration, t.pairId, t.kind)],
);
