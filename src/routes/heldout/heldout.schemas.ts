import { z } from "@hono/zod-openapi";
import { EvaluatorSelector } from "../common.schemas";

export const HELDOUT_MAX_ITEMS = 5000;

const nonBlank = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => s.trim().length > 0, `${what} must not be empty or whitespace only`);

export const LabelSchema = z.enum(["A", "B", "tie"]);
export const SourceSchema = z.enum(["synthetic", "human", "import"]);

export const HeldoutItemInputSchema = z
  .strictObject({
    instruction: nonBlank(50_000, "instruction"),
    response_a: nonBlank(100_000, "response_a"),
    response_b: nonBlank(100_000, "response_b"),
    label: LabelSchema.openapi({ description: "The better response; `tie` when neither is" }),
    source: SourceSchema.default("import").openapi({ description: "Where the label comes from; default `import`" }),
    category: z.string().trim().min(1).max(100).optional(),
    note: z.string().max(2000).optional(),
  })
  .openapi("HeldoutItemInput");

export const ImportHeldoutSchema = z
  .strictObject({
    evaluator: EvaluatorSelector,
    items: z.array(HeldoutItemInputSchema).min(1).max(HELDOUT_MAX_ITEMS, `at most ${HELDOUT_MAX_ITEMS} items per call`),
  })
  .openapi("ImportHeldout");

export const ImportResultSchema = z
  .object({
    evaluator: z.string(),
    received: z.number().int(),
    inserted: z.number().int(),
    duplicates: z.number().int().openapi({ description: "Pairs already in the set (same instruction and responses), skipped" }),
  })
  .openapi("HeldoutImportResult");

export const HeldoutItemSchema = z
  .object({
    id: z.uuid(),
    instruction: z.string(),
    response_a: z.string(),
    response_b: z.string(),
    label: LabelSchema,
    source: SourceSchema,
    category: z.string().nullable(),
    note: z.string().nullable(),
    judgment_id: z.uuid().nullable().openapi({ description: "Set for human feedback on a served judgment" }),
    training_run_id: z.uuid().nullable(),
    created_at: z.string(),
  })
  .openapi("HeldoutItem");
