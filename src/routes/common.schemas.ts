import { z } from "@hono/zod-openapi";

/** The optional `evaluator` selector every route takes (body field on writes, query on reads). */
export const EvaluatorSelector = z
  .string()
  .min(1)
  .max(63)
  .optional()
  .openapi({ description: "Evaluator name; default `default`" });
