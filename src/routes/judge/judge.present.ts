import type { JudgeResult } from "../../judging";
import { refs, round6, roundProbs, ZERO_VOTES } from "../judgments/judgments.present";

// Pure: a judging result in, the response body out (no database access).

/** The POST /v1/judge answer. Only ok judgments reach it, so the verdict is present. */
export function presentJudgeResult(r: JudgeResult) {
  const j = r.judgment;
  return {
    id: j.id,
    verdict: j.verdict!,
    confidence: round6(j.confidence ?? 0),
    confidence_source: j.confidenceSource ?? "votes",
    verdict_probabilities: roundProbs(j.verdictProbabilities),
    position_consistent: j.positionConsistent ?? false,
    reasoning: j.reasoning,
    votes: j.votes ?? ZERO_VOTES,
    members: j.memberVotes ?? null,
    ...refs(j),
    usage: r.usage,
    latency_ms: r.latencyMs,
    cached: r.cached,
    created_at: j.createdAt.toISOString(),
  };
}
