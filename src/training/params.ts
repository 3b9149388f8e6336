import { z } from "@hono/zod-openapi";
import { CATEGORY_SLUGS, DEFAULT_CATEGORY_WEIGHTS, type Category } from "./categories";

export const BACKENDS = ["few-shot", "openai", "external"] as const;
export type Backend = (typeof BACKENDS)[number];

export const METHODS = ["sft", "dpo"] as const;
export type TrainingMethod = (typeof METHODS)[number];

/**
 * Everything a run is parameterised by, with defaults. Stored normalised on the run, so a resumed
 * run (possibly after an upgrade that changed a default) keeps behaving as it started.
 */
export const runParamsShape = {
    iterations: z.int().min(1).max(10).default(1).openapi({ description: "Train → evaluate → promote rounds; iteration i+1 annotates with the evaluator from i" }),
    sample_size: z.int().min(1).max(100_000).default(500).openapi({ description: "Training instructions selected from the pool" }),
    samples_per_pair: z.int().min(2).max(64).default(8).openapi({ description: "Judgments sampled per pair for rejection sampling, half in each answer order (the paper used 15)" }),
    temperature: z.number().min(0).max(2).default(0.7),
    consistency_filter: z
      .boolean()
      .default(false)
      .openapi({ description: "J1 style: keep a pair only when the annotator is right in both answer orders (at least one correct sample in each); dropped pairs are counted as dropped_inconsistent" }),
    top_p: z.number().gt(0).max(1).default(0.9),
    backend: z.enum(BACKENDS).default("few-shot"),
    method: z
      .enum(METHODS)
      .optional()
      .openapi({
        description:
          "backend openai only: sft (default) fine-tunes on the verified judgments; dpo uses the fine-tuning API's preference method on the annotation step's DPO pairs (a correct and a wrong judgment of the same prompt)",
      }),
    dpo_beta: z
      .number()
      .gt(0)
      .max(10)
      .optional()
      .openapi({ description: "method dpo only: the DPO beta hyperparameter; default the provider's choice (auto)" }),
    generator_model: z.string().min(1).max(200).optional().openapi({ description: "Model writing y_w, x' and y_l; defaults to GENERATOR_MODEL" }),
    heldout_fraction: z.number().min(0).max(0.5).default(0.1).openapi({ description: "Share of the pool reserved for evaluation, by instruction hash; a held-out instruction is never trained on" }),
    heldout_size: z.int().min(0).max(100_000).optional().openapi({ description: "Held-out instructions turned into synthetic held-out pairs by this run; default max(200, sample_size·f/(1−f))" }),
    auto_promote: z.boolean().default(true),
    concurrency: z.int().min(1).max(64).default(8).openapi({ description: "Items processed at once within a step" }),
    category_weights: z
      .partialRecord(z.enum(CATEGORY_SLUGS), z.number().min(0).max(1000))
      .optional()
      .openapi({ description: "Relative selection weight per category; unspecified categories weigh 1. Default favours coding and reasoning (3)." }),
    few_shot_k: z.int().min(2).max(32).default(4).openapi({ description: "Demonstrations in a few-shot candidate" }),
    seed: z.int().min(0).max(2 ** 31 - 1).optional().openapi({ description: "Fixes every random choice of the run; random when omitted" }),
    min_instruction_chars: z.int().min(1).max(100_000).default(8),
    max_instruction_chars: z.int().min(1).max(1_000_000).default(8_000),
};

/** Cross-field rules, shared by the stored-params schema and the POST body schema. */
export function checkParams(
  p: { min_instruction_chars: number; max_instruction_chars: number; backend: Backend; method?: TrainingMethod | undefined; dpo_beta?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  // The few-shot backend trains nothing and external exports both formats: a method there would be ignored.
  if (p.method !== undefined && p.backend !== "openai") {
    ctx.addIssue({ code: "custom", message: `method is only accepted with backend "openai" (got backend "${p.backend}")`, path: ["method"] });
  }
  if (p.dpo_beta !== undefined && p.method !== "dpo") {
    ctx.addIssue({ code: "custom", message: 'dpo_beta is only accepted with method "dpo"', path: ["dpo_beta"] });
  }
  if (p.min_instruction_chars > p.max_instruction_chars) {
    ctx.addIssue({ code: "custom", message: "min_instruction_chars must not exceed max_instruction_chars", path: ["min_instruction_chars"] });
  }
}

export const RunParamsSchema = z.strictObject(runParamsShape).superRefine(checkParams);

export type RunParamsInput = z.input<typeof RunParamsSchema>;
export type RunParams = Omit<z.output<typeof RunParamsSchema>, "seed" | "category_weights"> & {
  seed: number;
  category_weights: Record<Category, number>;
  generator_model: string;
  heldout_size: number;
};

/** Fills run-time defaults (seed, generator, weights, held-out size) so the stored params are complete. */
export function completeParams(
  parsed: z.output<typeof RunParamsSchema>,
  defaults: { generatorModel: string; randomSeed: () => number },
): RunParams {
  const f = parsed.heldout_fraction;
  const proportional = f > 0 ? Math.ceil((parsed.sample_size * f) / (1 - f)) : 0;
  return {
    ...parsed,
    seed: parsed.seed ?? defaults.randomSeed(),
    ...(parsed.backend === "openai" ? { method: parsed.method ?? "sft" } : {}),
    generator_model: parsed.generator_model ?? defaults.generatorModel,
    category_weights: { ...DEFAULT_CATEGORY_WEIGHTS, ...(parsed.category_weights ?? {}) } as Record<Category, number>,
    heldout_size: parsed.heldout_size ?? (f > 0 ? Math.max(200, proportional) : 0),
  };
}

/** Reads params stored on a run row. */
export function storedParams(raw: Record<string, unknown>): RunParams {
  return raw as unknown as RunParams;
}
