import { z } from "@hono/zod-openapi";
import { parseJudgment, TEMPLATE_NAMES, validateJudgeTemplate } from "../../judging";
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
    logprobs: z.boolean().optional().openapi({
      description:
        "Ask the provider for the verdict token's log-probabilities (logprobs, top_logprobs) and report confidence as the verdict's probability, both orders combined; falls back to the vote share when the provider sends none",
    }),
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
      .openapi({
        description:
          "The judge's full answer for this pair in the version's template format: standard ends in [[A]], [[B]] or [[C]]; plan-execute has the plan, execution and verdict blocks",
      }),
  })
  .openapi("FewShotExample");

const KEY_ENV = /^(SELFJUDGE_KEY_)?[A-Z0-9_]{1,64}$/;

export const JuryMemberSchema = z
  .strictObject({
    model: z.string().trim().min(1).max(200),
    base_url: z.url().max(2000).nullable().optional().openapi({ description: "OpenAI-compatible base URL; default OPENAI_BASE_URL" }),
    weight: z.number().gt(0).max(100).optional().openapi({ description: "Vote weight; default 1" }),
    api_key_env: z
      .string()
      .regex(KEY_ENV, "api_key_env must name a SELFJUDGE_KEY_<NAME> variable (A-Z, 0-9, _)")
      .nullable()
      .optional()
      .openapi({ description: "Provider key for this member: the SELFJUDGE_KEY_<NAME> variable holding it (never the key itself)" }),
  })
  .openapi("JuryMember");

export const VersionSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: "v3" }),
    number: z.number().int(),
    evaluator: z.string(),
    model: z.string(),
    base_url: z.string().nullable(),
    api_key_env: z.string().nullable().openapi({ description: "The SELFJUDGE_KEY_* variable its key is read from (never the key)" }),
    members: z
      .array(JuryMemberSchema)
      .nullable()
      .openapi({ description: "A jury: every member judges and the verdict is their weighted majority; null for a single model" }),
    template: z.enum(TEMPLATE_NAMES).openapi({ description: "Output format: standard or plan-execute (plan, execution, verdict blocks)" }),
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
    model: z.string().trim().min(1).max(200).optional().openapi({ description: "The judge model; required unless members is given" }),
    members: z
      .array(JuryMemberSchema)
      .min(2)
      .max(9)
      .optional()
      .openapi({ description: "A jury of 2–9 models instead of one model: each judges (both orders, `samples` each) and the verdict is the weighted majority. Excludes model and base_url." }),
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
    template: z
      .enum(TEMPLATE_NAMES)
      .optional()
      .openapi({ description: "Output format and parser: standard (reasoning, then [[A]]/[[B]]/[[C]]) or plan-execute (EvalPlanner style: plan, execution and verdict blocks). Default standard" }),
    prompt_template: z
      .string()
      .min(1)
      .max(50_000)
      .optional()
      .openapi({ description: "Judge prompt ({{system}} / {{user}} sections); default the template's built-in prompt" }),
    few_shot: z.array(FewShotSchema).max(64).optional(),
    params: VersionParamsSchema.optional(),
    notes: z.string().max(5000).optional(),
    training_run_id: z.uuid().optional().openapi({ description: "The training run that produced this model" }),
    iteration: z.number().int().min(0).max(10_000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.members !== undefined) {
      if (v.model !== undefined) ctx.addIssue({ code: "custom", message: "give either model or members, not both", path: ["model"] });
      if (v.base_url !== undefined) ctx.addIssue({ code: "custom", message: "a jury's base URLs go on its members", path: ["base_url"] });
    } else if (v.model === undefined) {
      ctx.addIssue({ code: "custom", message: "model is required (or members, for a jury)", path: ["model"] });
    }
    const template = v.template ?? "standard";
    if (v.prompt_template !== undefined) {
      for (const problem of validateJudgeTemplate(v.prompt_template, template)) {
        ctx.addIssue({ code: "custom", message: problem, path: ["prompt_template"] });
      }
    }
    for (const [i, ex] of (v.few_shot ?? []).entries()) {
      const parsed = parseJudgment(template, ex.judgment);
      if (parsed.vote === "invalid") {
        ctx.addIssue({ code: "custom", message: `not a valid ${template} judgment: ${parsed.reason}`, path: ["few_shot", i, "judgment"] });
      }
    }
  })
  .openapi("RegisterVersion");

export const ActivationResultSchema = z
  .object({
    version: VersionSchema,
    previous: VersionRefSchema.nullable().openapi({ description: "The version that was active before (now retired)" }),
    audit_event_id: z.uuid(),
  })
  .openapi("ActivationResult");
