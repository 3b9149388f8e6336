import { z } from "@hono/zod-openapi";
import { parseVerdict, validateJudgeTemplate } from "../../judging";
import { EvaluatorSelector } from "../common.schemas";

export const VersionRefSchema = z.object({ id: z.uuid(), name: z.string() }).openapi("VersionRef");

export const VersionParamsSchema = z
  .strictObject({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z
      .number()
      .int()
      .min(16)
      .max(32_768)
      .optional()
      .openapi({ description: "Cap on each judge output's tokens; one cut off before its verdict counts as an invalid vote" }),
    samples: z.number().int().min(1).max(32).optional().openapi({ description: "Default samples per order for judge requests" }),
    swap: z.boolean().optional().openapi({ description: "Default swap for judge requests" }),
  })
  .openapi("VersionParams");

export const FewShotSchema = z
  .strictObject({
    instruction: z.string().min(1).max(50_000),
    response_a: z.string().min(1).max(100_000),
    response_b: z.string().min(1).max(100_000),
    judgment: z
      .string()
      .min(1)
      .max(20_000)
      .refine((t) => parseVerdict(t).vote !== "invalid", "judgment must end with a verdict marker ([[A]], [[B]] or [[C]])")
      .openapi({ description: "The judge's full answer for this pair, ending in [[A]], [[B]] or [[C]]" }),
  })
  .openapi("FewShotExample");

export const VersionSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: "v3" }),
    number: z.number().int(),
    evaluator: z.string(),
    model: z.string(),
    base_url: z.string().nullable(),
    api_key_env: z.string().nullable().openapi({ description: "The SELFJUDGE_KEY_* variable its key is read from (never the key)" }),
    prompt_template: z.string(),
    few_shot: z.array(FewShotSchema),
    params: z.record(z.string(), z.unknown()),
    status: z.enum(["candidate", "active", "retired", "rejected"]),
    notes: z.string().nullable(),
    training_run_id: z.uuid().nullable(),
    iteration: z.number().int().nullable(),
    metrics: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "Summary of the latest completed evaluation this version took part in" }),
    gate_decision: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "The promotion gate's latest decision on this version (evaluations with promote: true)" }),
    created_at: z.string(),
    activated_at: z.string().nullable().openapi({ description: "When it last became active" }),
  })
  .openapi("Version");

export const RegisterVersionSchema = z
  .strictObject({
    evaluator: EvaluatorSelector,
    model: z.string().trim().min(1).max(200),
    base_url: z
      .url()
      .max(2000)
      .optional()
      .openapi({ description: "OpenAI-compatible http(s) base URL (within LLM_BASE_URL_ALLOWLIST when set); default OPENAI_BASE_URL" }),
    api_key_env: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .openapi({
        description:
          "Name of the SELFJUDGE_KEY_<NAME> environment variable holding this provider's key (`MISTRAL` or `SELFJUDGE_KEY_MISTRAL`). A base_url without it gets no key (never OPENAI_API_KEY, unless the URL is under OPENAI_BASE_URL).",
      }),
    prompt_template: z
      .string()
      .min(1)
      .max(50_000)
      .superRefine((t, ctx) => {
        for (const problem of validateJudgeTemplate(t)) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional()
      .openapi({ description: "Judge prompt ({{system}} / {{user}} sections); default the built-in template" }),
    few_shot: z.array(FewShotSchema).max(64).optional(),
    params: VersionParamsSchema.optional(),
    notes: z.string().max(5000).optional(),
    training_run_id: z.uuid().optional().openapi({ description: "The training run that produced this model" }),
    iteration: z.number().int().min(0).max(10_000).optional(),
  })
  .openapi("RegisterVersion");

export const ActivationResultSchema = z
  .object({
    version: VersionSchema,
    previous: VersionRefSchema.nullable().openapi({ description: "The version that was active before (now retired)" }),
    audit_event_id: z.uuid(),
  })
  .openapi("ActivationResult");
