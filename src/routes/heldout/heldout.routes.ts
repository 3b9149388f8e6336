import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { HELDOUT_MAX_ITEMS, HeldoutItemSchema, ImportHeldoutSchema, ImportResultSchema, LabelSchema, SourceSchema } from "./heldout.schemas";
import { EvaluatorSelector } from "../common.schemas";

// A plain OpenAPI schema, not zod: the router would otherwise treat application/jsonl as JSON and
// validate it as such. JSONL bodies are handled by heldoutJsonlUpload before this route's validators.
const jsonlBody = {
  schema: {
    type: "string" as const,
    description:
      `JSON Lines: one HeldoutItemInput object per line (blank lines ignored), at most ${HELDOUT_MAX_ITEMS} lines; ` +
      "the evaluator comes from the `evaluator` query parameter",
    example: '{"instruction":"2+2?","response_a":"4","response_b":"5","label":"A","category":"math"}\n',
  },
};

export const importHeldout = createRoute({
  method: "post",
  path: "/v1/heldout",
  tags: ["held-out"],
  summary: "Import labelled pairs into the held-out set (JSON or a JSONL upload)",
  description:
    "All or nothing: any invalid item (JSONL: any bad line, reported with its line number) fails the call with 422 " +
    "and stores nothing. Pairs already present for the evaluator (same instruction, response_a and response_b) are " +
    "skipped and counted as `duplicates`, so re-sending a file is harmless.",
  request: {
    query: z.object({
      evaluator: EvaluatorSelector.openapi({ description: "For JSONL uploads (a JSON body may name it instead); default `default`" }),
    }),
    body: {
      required: true,
      content: {
        "application/json": { schema: ImportHeldoutSchema },
        "application/x-ndjson": jsonlBody,
        "application/jsonl": jsonlBody,
      },
    },
  },
  responses: {
    200: { description: "Imported", content: { "application/json": { schema: ImportResultSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 415),
  },
});

export const listHeldout = createRoute({
  method: "get",
  path: "/v1/heldout",
  tags: ["held-out"],
  summary: "The held-out set, newest first, filtered and cursor-paged",
  request: {
    query: z.object({
      evaluator: EvaluatorSelector,
      source: SourceSchema.optional(),
      category: z.string().min(1).max(100).optional(),
      label: LabelSchema.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().min(1).max(500).optional().openapi({ description: "`next_cursor` of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "One page",
      content: {
        "application/json": {
          schema: z
            .object({
              data: z.array(HeldoutItemSchema),
              total: z.number().int().openapi({ description: "Items matching the filters, across all pages" }),
              next_cursor: z.string().nullable(),
            })
            .openapi("HeldoutPage"),
        },
      },
    },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});
