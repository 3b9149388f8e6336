import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses, ProblemSchema } from "../../lib/errors";
import { JUDGE_LIMITS, JudgeRequestSchema, JudgeResultSchema } from "./judge.schemas";
import { EvaluatorSelector } from "../common.schemas";

export const judge = createRoute({
  method: "post",
  path: "/v1/judge",
  tags: ["judge"],
  summary: "Judge which of two responses better answers an instruction",
  description:
    "Runs the evaluator's active (or pinned) version on both answer orders, majority-votes the samples and " +
    "stores the judgment. Multi-turn: send `conversation` (ending with a user turn) with `response_a` / " +
    "`response_b`, or `conversation_a` / `conversation_b` (same user turns, each ending with its assistant's " +
    "reply); the judge is shown the whole dialogue. Bad shapes are a 422 naming the field, before any LLM call. " +
    "An identical earlier request (same version, inputs, samples, swap, temperature) is " +
    "answered from its stored judgment with no LLM call unless `cache` is false. Failures are stored too: " +
    "their problem body carries `judgment_id`.",
  request: { body: { required: true, content: { "application/json": { schema: JudgeRequestSchema } } } },
  responses: {
    200: { description: "Verdict", content: { "application/json": { schema: JudgeResultSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 415, 502, 503),
  },
});

export const BatchItemResultSchema = z
  .discriminatedUnion("ok", [
    z.object({ index: z.number().int(), ok: z.literal(true), judgment: JudgeResultSchema }),
    z.object({ index: z.number().int(), ok: z.literal(false), error: ProblemSchema }),
  ])
  .openapi("JudgeBatchItemResult");

export const JudgeBatchRequestSchema = z
  .strictObject({
    evaluator: EvaluatorSelector.openapi({ description: "Evaluator for items that do not name one; default `default`" }),
    items: z
      .array(z.unknown())
      .min(1)
      .max(JUDGE_LIMITS.batchItems, `a batch holds at most ${JUDGE_LIMITS.batchItems} items`)
      .openapi({
        description:
          `1–${JUDGE_LIMITS.batchItems} judge requests. Each item is validated on its own: a malformed item ` +
          "gets its own 422 problem in `results` and the others are still judged.",
        items: { $ref: "#/components/schemas/JudgeRequest" },
      }),
  })
  .openapi("JudgeBatchRequest");

export const judgeBatch = createRoute({
  method: "post",
  path: "/v1/judge/batch",
  tags: ["judge"],
  summary: "Judge up to 100 pairs; each item gets its own result or error",
  description:
    "Items run with bounded concurrency (JUDGE_BATCH_CONCURRENCY). The response is 200 whenever the envelope " +
    "is valid; per-item failures (validation, unknown version, LLM errors) are in `results[i].error` as problem objects.",
  request: { body: { required: true, content: { "application/json": { schema: JudgeBatchRequestSchema } } } },
  responses: {
    200: {
      description: "One result per item, in input order",
      content: {
        "application/json": { schema: z.object({ results: z.array(BatchItemResultSchema) }).openapi("JudgeBatchResult") },
      },
    },
    ...errorResponses(...COMMON_ERRORS, 415),
  },
});
