import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { ConfidenceSourceSchema, MemberVoteSchema, RefSchema, TurnSchema, UsageSchema, VerdictProbabilitiesSchema, VoteCountsSchema } from "../judge/judge.schemas";
import { pageQueryFields, pageResponse } from "../../lib/paging";
import { EvaluatorSelector, IsoDateTime } from "../common.schemas";

const VerdictSchema = z.enum(["A", "B", "tie"]);

export const JudgmentSummarySchema = z
  .object({
    id: z.uuid(),
    status: z.enum(["ok", "failed", "timeout"]),
    verdict: VerdictSchema.nullable(),
    confidence: z.number().nullable(),
    confidence_source: ConfidenceSourceSchema.nullable(),
    verdict_probabilities: VerdictProbabilitiesSchema.nullable(),
    position_consistent: z.boolean().nullable(),
    votes: VoteCountsSchema.nullable(),
    members: z.array(MemberVoteSchema).nullable().openapi({ description: "A jury version's per-member verdicts; null for a single model" }),
    version: RefSchema,
    evaluator: RefSchema,
    instruction_preview: z
      .string()
      .openapi({ description: "First 200 characters of the instruction (of the final user turn for a multi-turn judgment)" }),
    multi_turn: z
      .object({
        form: z.enum(["conversation", "conversation_a_b"]).openapi({ description: "Which multi-turn form the request used" }),
        user_turns: z.number().int(),
      })
      .nullable()
      .openapi({ description: "Set for a multi-turn judgment; GET /v1/judgments/{id} returns its conversation(s)" }),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    usage: UsageSchema,
    latency_ms: z.number().int(),
    error: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("JudgmentSummary");

export const RawOutputSchema = z
  .object({
    order: z.enum(["ab", "ba"]).openapi({ description: "ab: response_a was shown first; ba: swapped" }),
    index: z.number().int().openapi({ description: "Sample number within its order" }),
    text: z.string().openapi({ description: "The judge's output, verbatim" }),
    vote: z.enum(["A", "B", "tie", "invalid"]).openapi({ description: "Parsed vote in the caller's A/B frame" }),
    raw_vote: z.enum(["A", "B", "tie", "invalid"]).openapi({ description: "Parsed vote as the judge saw the answers" }),
    reason: z.string().optional().openapi({ description: "Why the output is an invalid vote" }),
    member: z.number().int().optional().openapi({ description: "Jury version: which member wrote it" }),
    probabilities: VerdictProbabilitiesSchema.nullable()
      .optional()
      .openapi({ description: "This output's verdict probabilities (caller's frame); present when the version asks for log-probabilities" }),
  })
  .openapi("JudgeRawOutput");

export const JudgmentSchema = JudgmentSummarySchema.extend({
  instruction: z.string().openapi({
    description: "The question; for a multi-turn judgment, the final user turn with the conversation before it (what training mines)",
  }),
  conversation: z.array(TurnSchema).nullable().openapi({ description: "The shared conversation of a `conversation` request" }),
  conversation_a: z.array(TurnSchema).nullable().openapi({ description: "Assistant A's conversation of a `conversation_a` / `conversation_b` request" }),
  conversation_b: z.array(TurnSchema).nullable(),
  response_a: z.string().openapi({ description: "The reply judged (a conversation's last assistant turn for conversation_a / _b)" }),
  response_b: z.string(),
  reference: z.string().nullable(),
  params: z.object({ samples: z.number().int(), swap: z.boolean(), temperature: z.number().nullable() }),
  reasoning: z.string().nullable(),
  raw_outputs: z.array(RawOutputSchema),
  request_hash: z.string().openapi({ description: "Cache key: equal for requests answered by the same judgment" }),
}).openapi("Judgment");

export const getJudgment = createRoute({
  method: "get",
  path: "/v1/judgments/{id}",
  tags: ["judge"],
  summary: "A stored judgment with its request, every raw judge output, params, status and error",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "The judgment", content: { "application/json": { schema: JudgmentSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const ListJudgmentsQuerySchema = z.object({
  evaluator: EvaluatorSelector,
  version: z.string().min(1).max(100).optional().openapi({ description: "Version id or name" }),
  from: IsoDateTime.optional().openapi({ description: "Created at or after (ISO 8601)" }),
  to: IsoDateTime.optional().openapi({ description: "Created before (ISO 8601)" }),
  verdict: VerdictSchema.optional(),
  status: z.enum(["ok", "failed", "timeout"]).optional(),
  ...pageQueryFields({ max: 200, default: 50 }),
});

export const listJudgments = createRoute({
  method: "get",
  path: "/v1/judgments",
  tags: ["judge"],
  summary: "Stored judgments, newest first, filtered and cursor-paged",
  request: { query: ListJudgmentsQuerySchema },
  responses: {
    200: pageResponse(JudgmentSummarySchema, "JudgmentPage"),
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});
