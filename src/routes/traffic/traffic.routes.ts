import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { EvaluatorSelector } from "../common.schemas";

export const MAX_TRAFFIC_ITEMS = 1000;

const TrafficItemSchema = z
  .object({
    instruction: z.string().trim().min(1).max(100_000).openapi({ description: "A user prompt from production, unlabeled" }),
    response: z.string().max(200_000).nullable().optional().openapi({ description: "Your app's own response, if you have it" }),
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .openapi("TrafficItem");

export const IngestTrafficSchema = z
  .object({
    evaluator: EvaluatorSelector,
    items: z.array(TrafficItemSchema).min(1).max(MAX_TRAFFIC_ITEMS),
  })
  .openapi("IngestTraffic");

export const IngestResultSchema = z
  .object({
    evaluator: z.string(),
    received: z.int(),
    inserted: z.int(),
    duplicates: z.int().openapi({ description: "Already in the pool (same instruction up to case and whitespace) or repeated in this batch" }),
  })
  .openapi("IngestTrafficResult");

export const TrafficStatsSchema = z
  .object({
    evaluator: z.string(),
    total: z.int(),
    by_source: z.record(z.string(), z.int()),
    by_category: z.record(z.string(), z.int()).openapi({ description: "`unclassified` until a training run classifies the instruction" }),
    by_split: z.record(z.string(), z.int()).openapi({ description: "`unassigned` until a training run splits the pool" }),
  })
  .openapi("TrafficStats");

export const ingestTraffic = createRoute({
  method: "post",
  path: "/v1/traffic",
  tags: ["training"],
  summary: "Add unlabeled production instructions to an evaluator's training pool",
  description: `Up to ${MAX_TRAFFIC_ITEMS} items per call, deduplicated by a normalised hash of the instruction. Judged instructions enter the pool automatically.`,
  request: { body: { required: true, content: { "application/json": { schema: IngestTrafficSchema } } } },
  responses: {
    200: { description: "Ingested", content: { "application/json": { schema: IngestResultSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const trafficStats = createRoute({
  method: "get",
  path: "/v1/traffic/stats",
  tags: ["training"],
  summary: "Pool size by source, category and split",
  request: { query: z.object({ evaluator: EvaluatorSelector }) },
  responses: {
    200: { description: "Counts", content: { "application/json": { schema: TrafficStatsSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});
