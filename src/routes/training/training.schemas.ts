import { z } from "@hono/zod-openapi";
import { checkParams, runParamsShape } from "../../training/params";
import { EvaluatorSelector } from "../common.schemas";

export const StartRunSchema = z
  .strictObject({
    evaluator: EvaluatorSelector,
    ...runParamsShape,
  })
  .superRefine(checkParams)
  .openapi("StartTrainingRun");

const Progress = z.object({ done: z.int(), total: z.int() });

export const TrainingRunSchema = z
  .object({
    id: z.uuid(),
    evaluator: z.string(),
    status: z.enum(["queued", "running", "waiting_external", "completed", "failed", "canceled"]),
    current_step: z.enum(["curate", "synthesize", "annotate", "train", "evaluate"]).nullable(),
    iteration: z.int().openapi({ description: "The iteration in progress (1-based); 0 before the run starts" }),
    iterations_total: z.int(),
    trigger: z.string(),
    params: z.record(z.string(), z.unknown()).openapi({ description: "Every parameter, defaults filled in (including the seed)" }),
    progress: z.record(z.string(), Progress).openapi({
      description: "Per step {done, total}; annotate counts pairs of the current iteration",
    }),
    counters: z.record(z.string(), z.number()).openapi({
      description:
        "selected, heldout_selected, pairs_built, dropped_malformed, dropped_same_instruction, synthesis_failed, " +
        "judgments_sampled, pairs_annotated, dropped_no_correct, kept, kept_a, kept_b, dpo_pairs (current iteration), " +
        "plus curation numbers (pool, classified, too_short, …)",
    }),
    usage: z.record(z.string(), z.number()).openapi({ description: "Tokens and LLM requests of the run, in total and per purpose" }),
    iterations: z.array(z.record(z.string(), z.unknown())).openapi({
      description: "Per iteration: annotator, counters, candidate version, training details, evaluation metrics, gate decision, promoted",
    }),
    waiting_for: z.string().nullable().openapi({ description: "What a waiting_external run needs to go on" }),
    cancel_requested: z.boolean(),
    error: z.string().nullable(),
    pool_seq_at_start: z.number().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi("TrainingRun");

export type TrainingRunBody = z.infer<typeof TrainingRunSchema>;
