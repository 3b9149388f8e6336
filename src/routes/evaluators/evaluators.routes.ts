import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";

export const EvaluatorSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    criteria: z.string(),
    seed_model: z.string(),
    active_version: z.object({ id: z.uuid(), name: z.string(), model: z.string() }).nullable(),
    created_at: z.string(),
  })
  .openapi("Evaluator");

export const CreateEvaluatorSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, '-' and '_', up to 63 characters"),
    description: z.string().max(2000).optional(),
    criteria: z
      .string()
      .trim()
      .min(1)
      .max(20_000)
      .optional()
      .openapi({ description: "What the judge should weigh; shown in the judge prompt. Defaults to general helpfulness criteria." }),
    seed_model: z.string().min(1).max(200).optional().openapi({ description: "Model of v1; defaults to JUDGE_MODEL" }),
    base_url: z
      .url()
      .max(2000)
      .optional()
      .openapi({ description: "OpenAI-compatible http(s) base URL for v1 (within LLM_BASE_URL_ALLOWLIST when set); defaults to OPENAI_BASE_URL" }),
    api_key_env: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .openapi({
        description:
          "Name of the SELFJUDGE_KEY_<NAME> environment variable holding this provider's key (`MISTRAL` or `SELFJUDGE_KEY_MISTRAL`). A base_url without it gets no key (never OPENAI_API_KEY, unless the URL is under OPENAI_BASE_URL).",
      }),
  })
  .openapi("CreateEvaluator");

export const createEvaluator = createRoute({
  method: "post",
  path: "/v1/evaluators",
  tags: ["evaluators"],
  summary: "Create an evaluator (its seed model becomes its active v1)",
  request: { body: { required: true, content: { "application/json": { schema: CreateEvaluatorSchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: EvaluatorSchema } } },
    ...errorResponses(...COMMON_ERRORS, 409, 415),
  },
});

export const listEvaluators = createRoute({
  method: "get",
  path: "/v1/evaluators",
  tags: ["evaluators"],
  summary: "List evaluators",
  responses: {
    200: {
      description: "Evaluators",
      content: { "application/json": { schema: z.object({ data: z.array(EvaluatorSchema) }) } },
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});
