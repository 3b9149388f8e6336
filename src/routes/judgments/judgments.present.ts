import type { JudgmentWithNames } from "../../db/queries/judgments";
import type { StoredDialogue, VerdictProbabilities } from "../../db/schema";
import { isDivergent, lastUserTurn } from "../../judging/dialogue";

export const ZERO_VOTES = { A: 0, B: 0, tie: 0, invalid: 0 };
const PREVIEW_CHARS = 200;

// confidence and temperature are float4 columns: 2/3 reads back as 0.6666666865348816.
// Six decimals hide that noise and make a cached answer print like a fresh one.
export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const round6OrNull = (x: number | null) => (x === null ? null : round6(x));

export function roundProbs(p: VerdictProbabilities | null | undefined): VerdictProbabilities | null {
  return p ? { A: round6(p.A), B: round6(p.B), tie: round6(p.tie) } : null;
}

export function refs(j: JudgmentWithNames) {
  return {
    version: { id: j.versionId, name: j.versionName },
    evaluator: { id: j.evaluatorId, name: j.evaluatorName },
  };
}

const preview = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);

/** How a multi-turn judgment was asked (null for a single-turn one). */
function multiTurn(d: StoredDialogue | null) {
  if (!d) return null;
  const turns = isDivergent(d) ? d.conversation_a : d.conversation;
  return {
    form: isDivergent(d) ? ("conversation_a_b" as const) : ("conversation" as const),
    user_turns: turns.filter((t) => t.role === "user").length,
  };
}

/** A row of GET /v1/judgments. */
export function presentJudgmentSummary(j: JudgmentWithNames) {
  return {
    id: j.id,
    status: j.status,
    verdict: j.verdict,
    confidence: round6OrNull(j.confidence),
    // Judgments stored before confidence sources existed were all vote shares.
    confidence_source: j.confidence === null ? null : (j.confidenceSource ?? "votes"),
    verdict_probabilities: roundProbs(j.verdictProbabilities),
    position_consistent: j.positionConsistent,
    votes: j.votes,
    members: j.memberVotes ?? null,
    ...refs(j),
    // A multi-turn judgment previews its final user turn, the question being judged.
    instruction_preview: preview(j.dialogue ? lastUserTurn(j.dialogue) : j.instruction),
    multi_turn: multiTurn(j.dialogue),
    metadata: j.metadata,
    usage: j.usage,
    latency_ms: j.latencyMs,
    error: j.error,
    created_at: j.createdAt.toISOString(),
  };
}

/** GET /v1/judgments/{id}: everything stored, including each raw judge output. */
export function presentJudgment(j: JudgmentWithNames) {
  return {
    ...presentJudgmentSummary(j),
    instruction: j.instruction,
    conversation: j.dialogue && !isDivergent(j.dialogue) ? j.dialogue.conversation : null,
    conversation_a: j.dialogue && isDivergent(j.dialogue) ? j.dialogue.conversation_a : null,
    conversation_b: j.dialogue && isDivergent(j.dialogue) ? j.dialogue.conversation_b : null,
    response_a: j.responseA,
    response_b: j.responseB,
    reference: j.reference,
    params: { samples: j.samples, swap: j.swap, temperature: round6OrNull(j.temperature) },
    reasoning: j.reasoning,
    raw_outputs: j.rawOutputs,
    request_hash: j.requestHash,
  };
}
