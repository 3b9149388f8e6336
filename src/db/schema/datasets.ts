import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { evaluators, versions, type StoredDialogue } from "./core";
import { evaluations } from "./evaluation";

// Named benchmark datasets (issue 8): imported once, immutable, evaluated by any version.

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export type DatasetFormat = "rewardbench" | "judgebench" | "mt-bench-human" | "rm-bench" | "pairs";
/** `importing` rows are invisible to every reader; a failed import deletes its rows. */
export type DatasetStatus = "importing" | "ready";
// Multi-turn context types live in core.ts (judgments store them too).
export type { DialogueTurn, StoredDialogue } from "./core";

export const datasets = pgTable(
  "datasets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    name: text("name").notNull(),
    format: text("format").$type<DatasetFormat>().notNull(),
    status: text("status").$type<DatasetStatus>().notNull().default("importing"),
    received: integer("received").notNull().default(0),
    itemCount: integer("item_count").notNull().default(0),
    duplicates: integer("duplicates").notNull().default(0),
    subsets: jsonb("subsets").$type<Record<string, number>>().notNull().default({}),
    actor: text("actor"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("datasets_evaluator_name_uq").on(t.evaluatorId, t.name)],
);

export type DatasetLabel = "A" | "B" | "tie";

/**
 * One labelled pair. For chosen/rejected formats response_a is the chosen response and label "A";
 * the evaluation decides what the judge is shown. `pair_hash` identifies what is judged (the same
 * pair labelled by several people is judged once); `content_hash` (pair + label + labeller)
 * deduplicates rows within a dataset.
 */
export const datasetItems = pgTable(
  "dataset_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    datasetId: uuid("dataset_id").notNull().references(() => datasets.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    subset: text("subset").notNull(),
    externalId: text("external_id"),
    instruction: text("instruction").notNull(),
    dialogue: jsonb("dialogue").$type<StoredDialogue>(),
    responseA: text("response_a").notNull(),
    responseB: text("response_b").notNull(),
    label: text("label").$type<DatasetLabel>().notNull(),
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
    pairHash: text("pair_hash").notNull(),
    contentHash: text("content_hash").notNull(),
  },
  (t) => [
    uniqueIndex("dataset_items_content_uq").on(t.datasetId, t.contentHash),
    index("dataset_items_pair_idx").on(t.datasetId, t.pairHash),
    index("dataset_items_seq_idx").on(t.datasetId, t.seq),
  ],
);

export type UnitOrders = { ab?: "A" | "B" | "tie" | null; ba?: "A" | "B" | "tie" | null };

/**
 * One (evaluation, judged pair, version): the resumable unit of a benchmark evaluation. Created
 * `pending` when the evaluation is created (the sample is fixed then), `done` or `failed` after.
 */
export const evaluationDatasetUnits = pgTable(
  "evaluation_dataset_units",
  {
    evaluationId: uuid("evaluation_id").notNull().references(() => evaluations.id, { onDelete: "cascade" }),
    pairHash: text("pair_hash").notNull(),
    versionId: uuid("version_id").notNull().references(() => versions.id),
    subset: text("subset").notNull(),
    status: text("status").$type<"pending" | "done" | "failed">().notNull().default("pending"),
    verdict: text("verdict").$type<"A" | "B" | "tie">(),
    /** Each order's majority in the caller's frame (null: no valid vote in that order). */
    orders: jsonb("orders").$type<UnitOrders>(),
    invalidVotes: integer("invalid_votes").notNull().default(0),
    totalVotes: integer("total_votes").notNull().default(0),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.evaluationId, t.pairHash, t.versionId] })],
);
