import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { HeldoutItemSchema, LabelSchema } from "../heldout/heldout.schemas";

export const FeedbackResultSchema = z
  .object({
    created: z.boolean().openapi({ description: "true the first time; false when an earlier label for this judgment was replaced" }),
    judgment_id: z.uuid(),
    judge_verdict: z.enum(["A", "B", "tie"]).nullable().openapi({ description: "What the judge had said" }),
    agrees: z.boolean().openapi({ description: "The human label equals the judge's verdict" }),
    heldout_item: HeldoutItemSchema,
  })
  .openapi("FeedbackResult");

export const postFeedback = createRoute({
  method: "post",
  path: "/v1/judgments/{id}/feedback",
  tags: ["held-out"],
  summary: "Record a human label on a served judgment; the pair joins the held-out set as human gold",
  description:
    "The judged pair (instruction, response_a, response_b) is added to its evaluator's held-out set with " +
    "source `human`, label = `preferred` and `judgment_id` set. Sending feedback again for the same judgment " +
    "replaces the label and note (200, created: false): the latest human word wins. 409 when the same pair is " +
    "already in the held-out set from another source (import, synthetic or another judgment).",
  request: {
    params: z.object({ id: z.uuid() }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .strictObject({
              preferred: LabelSchema.openapi({ description: "The better response in the judgment's A/B frame; `tie` if neither" }),
              note: z.string().max(2000).optional(),
            })
            .openapi("Feedback"),
        },
      },
    },
  },
  responses: {
    201: { description: "Added to the held-out set", content: { "application/json": { schema: FeedbackResultSchema } } },
    200: { description: "Label of an earlier feedback replaced", content: { "application/json": { schema: FeedbackResultSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409),
  },
});
