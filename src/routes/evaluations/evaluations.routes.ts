import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { CreateEvaluationSchema, EvaluationSchema } from "./evaluations.schemas";
import { pageQueryFields, pageResponse } from "../../lib/paging";
import { EvaluatorSelector } from "../common.schemas";

export const createEvaluationRoute = createRoute({
  method: "post",
  path: "/v1/evaluations",
  tags: ["evaluations"],
  summary: "Evaluate a version against another (default: the active one) on the held-out set",
  description:
    "Answers 202 at once; the evaluation runs in the background with bounded concurrency and resumes after a " +
    "restart. Both versions judge exactly the same items with the same samples/swap. Poll GET /v1/evaluations/{id}. " +
    "422 when candidate and baseline are the same version, no held-out item matches, or promote is asked without " +
    "swap or against a version that is not active. 503 when this instance runs no background jobs.",
  request: { body: { required: true, content: { "application/json": { schema: CreateEvaluationSchema } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: EvaluationSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 503),
  },
});

export const listEvaluationsRoute = createRoute({
  method: "get",
  path: "/v1/evaluations",
  tags: ["evaluations"],
  summary: "Evaluations, newest first, cursor-paged",
  request: {
    query: z.object({
      evaluator: EvaluatorSelector,
      status: z.enum(["queued", "running", "completed", "failed", "canceled"]).optional(),
      version: z.string().min(1).max(100).optional().openapi({ description: "Only evaluations this version took part in (id or name)" }),
      ...pageQueryFields({ max: 100, default: 20 }),
    }),
  },
  responses: {
    200: pageResponse(EvaluationSchema, "EvaluationPage"),
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const getEvaluationRoute = createRoute({
  method: "get",
  path: "/v1/evaluations/{id}",
  tags: ["evaluations"],
  summary: "An evaluation: progress while it runs, then per-version metrics, the paired test and the gate decision",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "The evaluation", content: { "application/json": { schema: EvaluationSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const cancelEvaluationRoute = createRoute({
  method: "post",
  path: "/v1/evaluations/{id}/cancel",
  tags: ["evaluations"],
  summary: "Cancel a queued or running evaluation (409 once it has ended)",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "Canceled", content: { "application/json": { schema: EvaluationSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409),
  },
});
