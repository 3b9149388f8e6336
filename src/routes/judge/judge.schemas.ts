import { z } from "@hono/zod-openapi";
import { EvaluatorSelector } from "../common.schemas";
import { divergentConversationProblems, sharedConversationProblems } from "../../judging/dialogue";

/**
 * Input limits, in characters. They keep one judge prompt within what current judge models
 * accept and stop a single request from filling the database; the body limit
 * (BODY_LIMIT_BYTES) still applies on top, to single requests and to whole batches.
 */
export const JUDGE_LIMITS = {
  instruction: 50_000,
  response: 100_000,
  reference: 100_000,
  metadataJson: 16_384,
  /** Turns per conversation, and characters over all turns of one conversation. */
  turns: 200,
  conversationChars: 200_000,
  samplesMax: 32,
  batchItems: 100,
} as const;

const nonBlank = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is longer than ${max} characters`)
    // Checked without trimming so the stored text is exactly what the caller sent.
    .refine((s) => s.trim().length > 0, `${what} must not be empty or whitespace only`);

export const TurnSchema = z
  .strictObject({
    role: z.enum(["user", "assistant", "system"]),
    content: z.string().max(JUDGE_LIMITS.response, `a turn is longer than ${JUDGE_LIMITS.response} characters`),
  })
  .openapi("ConversationTurn");

const conversationField = (description: string) =>
  z
    .array(TurnSchema)
    .min(1)
    .max(JUDGE_LIMITS.turns, `a conversation holds at most ${JUDGE_LIMITS.turns} turns`)
    .refine(
      (turns) => turns.reduce((n, t) => n + t.content.length, 0) <= JUDGE_LIMITS.conversationChars,
      `a conversation holds at most ${JUDGE_LIMITS.conversationChars} characters over all its turns`,
    )
    .optional()
    .openapi({ description });

const JudgeRequestFields = z.strictObject({
  instruction: nonBlank(JUDGE_LIMITS.instruction, "instruction").optional().openapi({
    description:
      `The user question both responses answer (≤ ${JUDGE_LIMITS.instruction} characters). Exactly one of ` +
      "`instruction`, `conversation` or `conversation_a` + `conversation_b` is given.",
  }),
  conversation: conversationField(
    "Multi-turn: the dialogue both candidate replies continue, `[{role, content}]` with roles user / assistant " +
      "(alternating, starting with user) and an optional first system turn, ending with the user turn that " +
      "`response_a` and `response_b` answer. The judge is shown the whole dialogue.",
  ),
  conversation_a: conversationField(
    "Multi-turn, when the assistants diverged earlier (MT-Bench turn 2): assistant A's whole conversation, " +
      "ending with its reply to the final user turn. Needs `conversation_b` with the same system and user " +
      "turns; `response_a` / `response_b` are then not given (the last assistant turns are the responses).",
  ),
  conversation_b: conversationField("Assistant B's whole conversation; see `conversation_a`."),
  response_a: nonBlank(JUDGE_LIMITS.response, "response_a").optional().openapi({
    description: `≤ ${JUDGE_LIMITS.response} characters; required with \`instruction\` or \`conversation\``,
  }),
  response_b: nonBlank(JUDGE_LIMITS.response, "response_b").optional().openapi({
    description: `≤ ${JUDGE_LIMITS.response} characters; required with \`instruction\` or \`conversation\``,
  }),
  evaluator: EvaluatorSelector,
  version: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Pin a version by id or name (`v3`); default the evaluator's active version" }),
  samples: z
    .number()
    .int()
    .min(1)
    .max(JUDGE_LIMITS.samplesMax)
    .optional()
    .openapi({ description: "Judgments sampled per order, majority-voted; default the version's `samples`, else 1" }),
  swap: z
    .boolean()
    .optional()
    .openapi({ description: "Judge both orders to cancel position bias; default the version's `swap`, else true" }),
  temperature: z
    .number()
    .min(0)
    .max(2)
    .optional()
    .openapi({ description: "Sampling temperature; default the version's, else 0 for one sample and 0.7 for several" }),
  reference: z
    .string()
    .max(JUDGE_LIMITS.reference)
    .nullable()
    .optional()
    .openapi({ description: "Reference answer shown to the judge (math, reasoning); empty means none" }),
  metadata: z
    .record(z.string(), z.unknown())
    .refine((m) => JSON.stringify(m).length <= JUDGE_LIMITS.metadataJson, {
      message: `metadata must serialise to at most ${JUDGE_LIMITS.metadataJson} characters of JSON`,
    })
    .optional()
    .openapi({ description: "Stored with the judgment, returned by GET; not part of the cache key" }),
  cache: z
    .boolean()
    .optional()
    .openapi({ description: "Answer an identical earlier request from its stored judgment (default true)" }),
});

type JudgeRequestFields = z.infer<typeof JudgeRequestFields>;
type Issue = { path: string; message: string };

/** Which of the three request forms is given, and everything wrong with its shape (empty when fine). */
export function judgeFormProblems(r: JudgeRequestFields): Issue[] {
  const divergent = r.conversation_a !== undefined || r.conversation_b !== undefined;
  const given = [r.instruction !== undefined && "instruction", r.conversation !== undefined && "conversation", divergent && "conversation_a"].filter(
    (f): f is string => f !== false,
  );
  if (given.length === 0) {
    return [{ path: "instruction", message: "give `instruction`, `conversation` or `conversation_a` + `conversation_b`" }];
  }
  if (given.length > 1) {
    return [{ path: given[1]!, message: `give exactly one of instruction, conversation or conversation_a + conversation_b (got ${given.join(" and ")})` }];
  }
  if (divergent) {
    const out: Issue[] = [];
    if (r.conversation_a === undefined) out.push({ path: "conversation_a", message: "required with conversation_b" });
    if (r.conversation_b === undefined) out.push({ path: "conversation_b", message: "required with conversation_a" });
    for (const f of ["response_a", "response_b"] as const) {
      if (r[f] !== undefined) out.push({ path: f, message: "not allowed with conversation_a / conversation_b: their last assistant turns are the responses" });
    }
    if (out.length > 0) return out;
    return divergentConversationProblems(r.conversation_a, r.conversation_b);
  }
  const out: Issue[] = [];
  for (const f of ["response_a", "response_b"] as const) {
    if (r[f] === undefined) out.push({ path: f, message: `required with ${given[0]}` });
  }
  if (r.conversation !== undefined) out.push(...sharedConversationProblems(r.conversation));
  return out;
}

export const JudgeRequestSchema = JudgeRequestFields.superRefine((r, ctx) => {
  for (const p of judgeFormProblems(r)) {
    ctx.addIssue({ code: "custom", path: p.path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)), message: p.message });
  }
}).openapi("JudgeRequest");

export const VoteCountsSchema = z
  .object({ A: z.number().int(), B: z.number().int(), tie: z.number().int(), invalid: z.number().int() })
  .openapi("VoteCounts");

export const UsageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    llm_requests: z.number().int(),
  })
  .openapi("Usage");

export const RefSchema = z.object({ id: z.uuid(), name: z.string() });

export const VerdictProbabilitiesSchema = z
  .object({ A: z.number(), B: z.number(), tie: z.number() })
  .openapi("VerdictProbabilities", {
    description: "The judge's probability of each verdict in the caller's frame, from the verdict token's log-probabilities, both orders averaged",
  });

export const ConfidenceSourceSchema = z.enum(["logprobs", "votes"]).openapi({
  description:
    "logprobs: confidence is the verdict's probability from the verdict token's log-probabilities (version param `logprobs: true` and a provider that returns them); votes: the share of votes behind the verdict",
});

export const MemberVoteSchema = z
  .object({
    member: z.number().int().openapi({ description: "Index into the version's members" }),
    model: z.string(),
    weight: z.number(),
    verdict: z.enum(["A", "B", "tie"]).nullable().openapi({ description: "This member's own verdict (both orders, its samples); null when all its outputs were invalid" }),
    confidence: z.number(),
    confidence_source: ConfidenceSourceSchema.optional(),
    verdict_probabilities: VerdictProbabilitiesSchema.nullable().optional(),
    position_consistent: z.boolean(),
    votes: VoteCountsSchema,
  })
  .openapi("JuryMemberVote");

export const JudgeResultSchema = z
  .object({
    id: z.uuid().openapi({ description: "Judgment id; GET /v1/judgments/{id} returns the full record" }),
    verdict: z.enum(["A", "B", "tie"]),
    confidence: z.number().openapi({
      description: "How sure the judge is of the verdict, 0-1: its log-probability of the verdict, else the share of valid votes behind it (see confidence_source)",
    }),
    confidence_source: ConfidenceSourceSchema,
    verdict_probabilities: VerdictProbabilitiesSchema.nullable().openapi({ description: "null unless confidence_source is logprobs" }),
    position_consistent: z
      .boolean()
      .openapi({ description: "Both orders agreed; false when swap is off, as consistency was not checked" }),
    reasoning: z
      .string()
      .nullable()
      .openapi({ description: "A judgment that agrees with the verdict; null when none did (a position-inconsistent tie)" }),
    votes: VoteCountsSchema,
    members: z
      .array(MemberVoteSchema)
      .nullable()
      .openapi({ description: "A jury version: each member's verdict and votes (the verdict is their weighted majority); null for a single model" }),
    version: RefSchema,
    evaluator: RefSchema,
    usage: UsageSchema.openapi({ description: "Cost of this call: all zero when served from the cache" }),
    latency_ms: z.number().int().openapi({ description: "Wall time of this call" }),
    cached: z.boolean(),
    created_at: z.string().openapi({ description: "When the judgment was made (the original one for a cache hit)" }),
  })
  .openapi("JudgeResult");
