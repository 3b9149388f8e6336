import { z } from "@hono/zod-openapi";
import { LabelSchema, SourceSchema } from "../heldout/heldout.schemas";
import { EvaluatorSelector } from "../common.schemas";

const Ref = z.object({ id: z.uuid(), name: z.string() });
const Interval = z.tuple([z.number(), z.number()]);
const Breakdown = z.object({ n: z.number().int(), correct: z.number().int(), accuracy: z.number() });

export const GateParamsSchema = z
  .strictObject({
    min_delta: z.number().min(0).max(1).openapi({ description: "Required accuracy gain, absolute (0.01 = 1 point). Default GATE_MIN_DELTA (0.01)" }),
    alpha: z.number().gt(0).max(1).openapi({ description: "The paired test must give p < alpha. Default GATE_ALPHA (0.05)" }),
    consistency_tolerance: z
      .number()
      .min(0)
      .max(1)
      .openapi({ description: "Largest allowed drop in position-consistent accuracy. Default GATE_CONSISTENCY_TOLERANCE (0.02)" }),
  })
  .openapi("GateParams");

export const CalibrationSchema = z
  .object({
    n: z.number().int().openapi({ description: "Scored items with a verdict (their confidence is checked against correctness)" }),
    bins_count: z.number().int(),
    ece: z
      .number()
      .openapi({ description: "Expected calibration error: Σ over 10 equal-width confidence bins of (bin share) × |accuracy − mean confidence|; 0 is perfect" }),
    source: z
      .enum(["logprobs", "votes", "mixed"])
      .nullable()
      .openapi({ description: "Where the confidences came from: token log-probabilities, vote shares, or both (mixed)" }),
    reliability: z
      .array(
        z.object({
          lo: z.number(),
          hi: z.number().openapi({ description: "Bin [lo, hi); the last bin includes 1" }),
          n: z.number().int(),
          mean_confidence: z.number().nullable(),
          accuracy: z.number().nullable(),
        }),
      )
      .openapi({ description: "Reliability table: per confidence bin, how many items, their mean confidence and their accuracy" }),
  })
  .openapi("Calibration");

export const VersionMetricsSchema = z
  .object({
    n: z.number().int().openapi({ description: "Items scored (judged by both versions)" }),
    correct: z.number().int(),
    accuracy: z.number().openapi({ description: "Verdict equals the label; a `tie` label needs a `tie` verdict; no verdict is wrong" }),
    ci95: Interval.openapi({ description: "95% Wilson score interval for accuracy" }),
    position_consistent_correct: z.number().int().nullable(),
    position_consistent_accuracy: z.number().nullable().openapi({ description: "Correct in both answer orders; null without swap" }),
    position_consistent_ci95: Interval.nullable(),
    no_verdict: z.number().int().openapi({ description: "Items where every judge output was unparseable (scored wrong)" }),
    invalid_output_rate: z.number().openapi({ description: "Unparseable judge outputs / all judge outputs" }),
    llm_failures: z.number().int().openapi({ description: "Items whose LLM call failed after retries (left out of every number)" }),
    by_category: z.record(z.string(), Breakdown),
    by_source: z.record(z.string(), Breakdown),
    usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), llm_requests: z.number().int() }),
    calibration: CalibrationSchema,
  })
  .openapi("VersionMetrics");

const Check = z.object({ passed: z.boolean(), value: z.number(), threshold: z.number() });

export const EvaluationResultSchema = z
  .object({
    n: z.number().int().openapi({ description: "Identical items both versions were scored on" }),
    excluded_items: z.number().int().openapi({ description: "Items left out because an LLM call failed for either version" }),
    candidate: VersionMetricsSchema,
    baseline: VersionMetricsSchema.nullable().openapi({ description: "null for a benchmark evaluation without a baseline" }),
    comparison: z
      .object({
        n: z.number().int(),
        test: z.literal("exact one-sided McNemar"),
        candidate_accuracy: z.number(),
        baseline_accuracy: z.number(),
        delta: z.number().openapi({ description: "candidate − baseline accuracy" }),
        both_correct: z.number().int(),
        both_wrong: z.number().int(),
        candidate_only_correct: z.number().int(),
        baseline_only_correct: z.number().int(),
        p_value: z.number().openapi({ description: "P(candidate_only_correct or more | no difference), exact binomial on discordant items" }),
        consistency_delta: z.number().openapi({ description: "candidate − baseline position-consistent accuracy" }),
      })
      .nullable()
      .openapi("PairedComparison"),
    decision: z
      .object({
        decision: z.enum(["promote", "reject"]),
        reasons: z.array(z.string()),
        checks: z.object({ delta: Check, p_value: Check, consistency: Check }),
        params: GateParamsSchema,
      })
      .nullable()
      .openapi("GateDecision"),
    applied: z
      .object({
        applied: z.boolean(),
        outcome: z.enum(["promoted", "rejected", "not_applied_active_changed", "not_requested"]),
        note: z.string(),
      })
      .nullable()
      .openapi({ description: "What promote: true did with the decision" }),
    dataset: z.object({ id: z.uuid(), name: z.string(), format: z.string() }).optional().openapi({ description: "Benchmark evaluations: the dataset" }),
    benchmark: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "Benchmark evaluations: the dataset's official scores (rule, per subset/section/turn/domain, overall), each with n and ci95" }),
    agreement: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .openapi({
        description:
          "Agreement with human labels (held-out items with source human, mt-bench-human, pairs with source human): " +
          "Cohen's kappa with its 95% interval, the A/B/tie confusion matrix, disagreeing items; null when no label is human",
      }),
    bias: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "Bias probes: position flip rate, first-position preference, length bias (see README)" }),
    baseline_report: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .openapi({ description: "The baseline's agreement and bias (and benchmark scores, for a benchmark evaluation); null without a baseline" }),
  })
  .openapi("EvaluationResult");

export const EvaluationSchema = z
  .object({
    id: z.uuid(),
    evaluator_id: z.uuid(),
    status: z.enum(["queued", "running", "completed", "failed", "canceled"]),
    candidate: Ref,
    baseline: Ref.nullable(),
    dataset: z.object({ id: z.uuid(), name: z.string() }).nullable().openapi({ description: "The dataset of a benchmark evaluation; null on the held-out set" }),
    filter: z.record(z.string(), z.unknown()),
    samples: z.number().int(),
    swap: z.boolean(),
    promote: z.boolean(),
    gate: GateParamsSchema,
    progress: z.object({
      done: z.number().int().openapi({ description: "(item, version) judgments stored" }),
      total: z.number().int().openapi({ description: "items × 2 versions" }),
    }),
    result: EvaluationResultSchema.nullable().openapi({ description: "Set once completed" }),
    error: z.string().nullable(),
    training_run_id: z.uuid().nullable(),
    actor: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi("Evaluation");

export const CreateEvaluationSchema = z
  .strictObject({
    evaluator: EvaluatorSelector,
    version: z.string().min(1).max(100).openapi({ description: "Candidate version, id or name" }),
    against: z.string().min(1).max(100).optional().openapi({ description: "Baseline version; default the active one" }),
    filter: z
      .strictObject({
        source: SourceSchema.optional(),
        category: z.string().min(1).max(100).optional(),
        label: LabelSchema.optional(),
        training_run_id: z.uuid().optional(),
        limit: z.number().int().min(1).max(100_000).optional().openapi({ description: "At most this many items (an unbiased subset)" }),
      })
      .optional()
      .openapi({ description: "Which held-out items; default all of the evaluator's items" }),
    samples: z.number().int().min(1).max(32).optional().openapi({ description: "Judgments per order, majority-voted; default 1" }),
    swap: z.boolean().optional().openapi({ description: "Judge both orders; default true (required for promote)" }),
    promote: z
      .boolean()
      .optional()
      .openapi({ description: "Apply the promotion gate on completion: pass → the candidate becomes active, fail → `rejected`. Default false" }),
    gate: GateParamsSchema.partial().optional().openapi({ description: "Override the gate's defaults for this evaluation" }),
    // Issue 8: benchmark evaluations on a named dataset.
    dataset: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Evaluate on this imported dataset (POST /v1/datasets) instead of the held-out set; no baseline needed" }),
    baseline: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "With `dataset`: a second version for a paired comparison (same as `against`)" }),
    limit: z.number().int().min(1).max(1_000_000).optional().openapi({ description: "With `dataset`: a sample of at most this many pairs, stratified by subset" }),
    subsets: z.array(z.string().min(1).max(200)).min(1).max(200).optional().openapi({ description: "With `dataset`: only these subsets" }),
  })
  .openapi("CreateEvaluation");
