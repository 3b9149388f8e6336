import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  boolean,
} from "drizzle-orm/pg-core";
import { evaluators, judgments, versions } from "./core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export type HeldoutLabel = "A" | "B" | "tie";
export type HeldoutSource = "synthetic" | "human" | "import";

export const heldoutItems = pgTable(
  "heldout_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    instruction: text("instruction").notNull(),
    responseA: text("response_a").notNull(),
    responseB: text("response_b").notNull(),
    label: text("label").$type<HeldoutLabel>().notNull(),
    source: text("source").$type<HeldoutSource>().notNull(),
    category: text("category"),
    contentHash: text("content_hash").notNull(),
    judgmentId: uuid("judgment_id").references(() => judgments.id),
    trainingRunId: uuid("training_run_id"),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("heldout_evaluator_hash_uq").on(t.evaluatorId, t.contentHash),
    index("heldout_evaluator_created_idx").on(t.evaluatorId, t.createdAt),
  ],
);

export type EvaluationStatus = "queued" | "running" | "completed" | "failed" | "canceled";

export const evaluations = pgTable(
  "evaluations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    candidateVersionId: uuid("candidate_version_id").notNull().references(() => versions.id),
    baselineVersionId: uuid("baseline_version_id").references(() => versions.id),
    filter: jsonb("filter").$type<Record<string, unknown>>(),
    samples: integer("samples").notNull().default(1),
    swap: boolean("swap").notNull().default(true),
    promote: boolean("promote").notNull().default(false),
    // With promote: false records the gate's decision and applies a rejection but never activates
    // (a training run with auto_promote off).
    activate: boolean("activate").notNull().default(true),
    gate: jsonb("gate").$type<Record<string, unknown>>(),
    status: text("status").$type<EvaluationStatus>().notNull().default("queued"),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    trainingRunId: uuid("training_run_id"),
    // Issue 8: a benchmark evaluation runs on a named dataset instead of the held-out set.
    datasetId: uuid("dataset_id"),
    actor: text("actor"),
    // Issue 14: the instance running a standalone evaluation holds it while lease_until is in the
    // future and renews it by heartbeat; a lapsed lease is taken over by another instance.
    // (An evaluation a training run started is covered by its run's lease.)
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("evaluations_evaluator_created_idx").on(t.evaluatorId, t.createdAt)],
);

/** One row per (evaluation, held-out item, version): the unit of resumable evaluation work. */
export const evaluationItems = pgTable(
  "evaluation_items",
  {
    evaluationId: uuid("evaluation_id").notNull().references(() => evaluations.id),
    heldoutItemId: uuid("heldout_item_id").notNull().references(() => heldoutItems.id),
    versionId: uuid("version_id").notNull().references(() => versions.id),
    verdict: text("verdict"),
    correct: boolean("correct"),
    // Right in both orders: the stricter measure the gate also checks.
    consistentCorrect: boolean("consistent_correct"),
    invalidVotes: integer("invalid_votes").notNull().default(0),
    totalVotes: integer("total_votes").notNull().default(0),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.evaluationId, t.heldoutItemId, t.versionId] })],
);
