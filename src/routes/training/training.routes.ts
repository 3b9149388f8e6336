import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { StartRunSchema, TrainingRunSchema } from "./training.schemas";
import { pageQueryFields, pageResponse } from "../../lib/paging";
import { EvaluatorSelector } from "../common.schemas";

const RunId = z.object({ id: z.uuid() });

export const startRun = createRoute({
  method: "post",
  path: "/v1/training/runs",
  tags: ["training"],
  summary: "Start a self-taught training run (answers 202; runs in the background and survives restarts)",
  description:
    "Curates the pool, synthesises preference pairs, annotates them by rejection sampling with the current evaluator, " +
    "trains a candidate with the chosen backend, evaluates it against the active version on the held-out set and, " +
    "with auto_promote, promotes it when the gate passes; `iterations` times. 409 when TRAINING_MAX_CONCURRENT_RUNS " +
    "runs are already in progress; 503 when this instance runs no background jobs.",
  request: { body: { required: true, content: { "application/json": { schema: StartRunSchema } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: TrainingRunSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409, 503),
  },
});

export const listRuns = createRoute({
  method: "get",
  path: "/v1/training/runs",
  tags: ["training"],
  summary: "Training runs of an evaluator, newest first, cursor-paged",
  request: {
    query: z.object({
      evaluator: EvaluatorSelector,
      status: z.enum(["queued", "running", "waiting_external", "completed", "failed", "canceled"]).optional(),
      ...pageQueryFields({ max: 100, default: 20 }),
    }),
  },
  responses: {
    200: pageResponse(TrainingRunSchema, "TrainingRunPage"),
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const getRun = createRoute({
  method: "get",
  path: "/v1/training/runs/{id}",
  tags: ["training"],
  summary: "A run: status, current step, progress, counters, token usage and each iteration's candidate and decision",
  request: { params: RunId },
  responses: {
    200: { description: "The run", content: { "application/json": { schema: TrainingRunSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const cancelRun = createRoute({
  method: "post",
  path: "/v1/training/runs/{id}/cancel",
  tags: ["training"],
  summary: "Cancel a run (it stops between items); 409 once it has ended",
  request: { params: RunId },
  responses: {
    200: { description: "Canceled, or cancel requested", content: { "application/json": { schema: TrainingRunSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409),
  },
});

export const runDataset = createRoute({
  method: "get",
  path: "/v1/training/runs/{id}/dataset",
  tags: ["training"],
  summary: "Export an iteration's training data as JSONL (for the external backend)",
  description:
    "`sft`: OpenAI chat fine-tuning lines {messages: [system, user, assistant=verified judgment]}. " +
    "`dpo`: OpenAI preference lines {input: {messages}, preferred_output, non_preferred_output}. " +
    "409 while the iteration's data is not selected yet.",
  request: {
    params: RunId,
    query: z.object({
      format: z.enum(["sft", "dpo"]).default("sft"),
      iteration: z.coerce.number().int().min(1).max(10).optional().openapi({ description: "Default: the run's current iteration" }),
    }),
  },
  responses: {
    200: { description: "JSON Lines", content: { "application/jsonl": { schema: z.string() } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409),
  },
});
