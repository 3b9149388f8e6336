import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";

export const KeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scope: z.enum(["judge", "admin"]),
    prefix: z.string().openapi({ description: "First characters of the secret, to recognise it" }),
    evaluators: z
      .array(z.string())
      .nullable()
      .openapi({ description: "Evaluators this judge key is bound to; null = every evaluator" }),
    rate_limit_rpm: z.number().int().nullable().openapi({ description: "Requests per minute; null = RATE_LIMIT_RPM, 0 = unlimited" }),
    token_budget_per_day: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "LLM tokens per UTC day; null = TOKEN_BUDGET_PER_DAY, 0 = unlimited" }),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi("ApiKey");

export const CreatedKeySchema = KeySchema.extend({
  secret: z.string().openapi({ description: "The key itself. Shown once; only its hash is stored." }),
}).openapi("CreatedApiKey");

export const createKey = createRoute({
  method: "post",
  path: "/v1/keys",
  tags: ["keys"],
  summary: "Create a scoped API key (admin)",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            name: z.string().trim().min(1).max(200),
            scope: z.enum(["judge", "admin"]),
            evaluators: z
              .array(z.string().min(1).max(63))
              .min(1)
              .max(100)
              .optional()
              .openapi({
                description:
                  "Bind a judge key to these evaluators: it can judge and read judgments of these only (others answer 404). Absent: every evaluator.",
              }),
            rate_limit_rpm: z.number().int().min(0).max(10_000_000).nullable().optional().openapi({
              description: "Requests per minute for this key; absent or null = RATE_LIMIT_RPM, 0 = unlimited",
            }),
            token_budget_per_day: z.number().int().min(0).max(1_000_000_000_000).nullable().optional().openapi({
              description: "LLM tokens per UTC day for this key; absent or null = TOKEN_BUDGET_PER_DAY, 0 = unlimited",
            }),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: "Created; the secret is in the body", content: { "application/json": { schema: CreatedKeySchema } } },
    ...errorResponses(...COMMON_ERRORS, 415),
  },
});

export const listKeys = createRoute({
  method: "get",
  path: "/v1/keys",
  tags: ["keys"],
  summary: "List API keys (admin; secrets are never returned)",
  responses: {
    200: { description: "Keys", content: { "application/json": { schema: z.object({ data: z.array(KeySchema) }) } } },
    ...errorResponses(...COMMON_ERRORS),
  },
});

export const revokeKey = createRoute({
  method: "delete",
  path: "/v1/keys/{id}",
  tags: ["keys"],
  summary: "Revoke an API key (admin)",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: KeySchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});
