import { z } from "@hono/zod-openapi";
import { DATASET_FORMATS } from "../../datasets";

export const DatasetName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "letters, digits, '.', '_' and '-', starting with a letter or digit (≤ 100)")
  .openapi({ description: "Dataset name, unique per evaluator", example: "rewardbench" });

export const DatasetFormatSchema = z.enum(DATASET_FORMATS).openapi({
  description:
    "rewardbench (prompt, chosen, rejected, subset, id), judgebench (pair_id, source, question, response_A, response_B, label), " +
    "mt-bench-human (question_id, model_a, model_b, winner, judge, conversation_a, conversation_b, turn), " +
    "rm-bench (id, prompt, chosen[3], rejected[3], domain) or pairs (instruction | conversation | conversation_a + conversation_b, response_a, response_b, label, category, source)",
});

const Counts = z.record(z.string(), z.number().int());

export const DatasetSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    format: DatasetFormatSchema,
    items: z.number().int().openapi({ description: "Labelled pairs stored (RM-Bench: 9 per record)" }),
    received: z.number().int().openapi({ description: "Records in the imported file" }),
    duplicates: z.number().int().openapi({ description: "Pairs skipped because an identical one was already in the dataset" }),
    subsets: Counts.openapi({ description: "Pairs per subset (RewardBench subset, JudgeBench category, MT-Bench turn, RM-Bench domain, pairs category)" }),
    created_at: z.string(),
  })
  .openapi("Dataset");

export const ImportDatasetResultSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    format: DatasetFormatSchema,
    evaluator: z.string(),
    received: z.number().int().openapi({ description: "Records read from the file" }),
    inserted: z.number().int().openapi({ description: "Pairs stored" }),
    duplicates: z.number().int().openapi({ description: "Pairs identical in content to one already stored, skipped" }),
    subsets: Counts,
  })
  .openapi("DatasetImportResult");

const TurnSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });

export const DatasetItemSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int().openapi({ description: "Position in the imported file (0-based, over pairs)" }),
    subset: z.string(),
    external_id: z.string().nullable().openapi({ description: "The record's own id (RewardBench id, JudgeBench pair_id, …)" }),
    instruction: z.string().openapi({ description: "The question; for multi-turn items, the last user turn with its context" }),
    conversation: z.array(TurnSchema).optional(),
    conversation_a: z.array(TurnSchema).optional(),
    conversation_b: z.array(TurnSchema).optional(),
    response_a: z.string().openapi({ description: "For rewardbench / rm-bench, the chosen response" }),
    response_b: z.string().openapi({ description: "For rewardbench / rm-bench, the rejected response" }),
    label: z.enum(["A", "B", "tie"]),
    meta: z.record(z.string(), z.unknown()),
  })
  .openapi("DatasetItem");
