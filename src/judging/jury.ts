/**
 * A jury: several judge models on one version. Every member judges the pair on its own (both
 * orders, `samples` each, aggregated as for a single judge); the verdict is the weighted majority
 * of the members' verdicts. Pure: no LLM, database or HTTP.
 *
 * Decisions:
 * - A member with no verdict (every output invalid) abstains. No member with a verdict → null.
 * - Per verdict, the sum of the weights of the members that reached it; the largest sum wins, and
 *   equal largest sums (A against B, or either against tie) make the verdict "tie".
 * - confidence = the winning weight / the weight of the members that voted (0 for a tie no
 *   member voted for), the jury analogue of the vote share.
 * - position_consistent: every voting member was position-consistent.
 * - With log-probabilities (version param `logprobs`) from every voting member: confidence is the
 *   jury's probability of its verdict, the weight-averaged member distributions (source
 *   "logprobs"). Members' confidences do NOT change whose vote counts how much: the verdict is
 *   the weighted majority above either way, so a confidently wrong member cannot outvote two
 *   others, and jury verdicts stay comparable with and without log-probs.
 * - Each member's entry carries only its summary (verdict, confidence, votes), never its raw
 *   outputs: those are already in the judgment's samples, tagged with the member index.
 */
import type { Verdict, VoteCounts } from "./aggregate";
import { judgmentConfidence, weightedDistribution, type ConfidenceSource, type VerdictDistribution } from "./confidence";

export interface JuryMemberSpec {
  model: string;
  base_url?: string | null;
  weight?: number;
  api_key_env?: string | null;
}

export interface MemberResult {
  verdict: Verdict | null;
  confidence: number;
  position_consistent: boolean;
  votes: VoteCounts;
  confidence_source?: ConfidenceSource;
  verdict_probabilities?: VerdictDistribution | null;
}

export interface MemberVote {
  member: number;
  model: string;
  weight: number;
  verdict: Verdict | null;
  confidence: number;
  confidence_source: ConfidenceSource;
  verdict_probabilities: VerdictDistribution | null;
  position_consistent: boolean;
  votes: VoteCounts;
}

/** The jury's own verdict has the fields of a member's vote, without naming a member. */
export interface JuryAggregate extends Omit<MemberVote, "member" | "model" | "weight"> {
  members: MemberVote[];
}

export function aggregateJury(members: readonly JuryMemberSpec[], results: readonly MemberResult[]): JuryAggregate {
  const votes: VoteCounts = { A: 0, B: 0, tie: 0, invalid: 0 };
  const weight: Record<Verdict, number> = { A: 0, B: 0, tie: 0 };
  let voting = 0;
  let allConsistent = true;
  const memberVotes = results.map((r, i): MemberVote => {
    const w = members[i]?.weight ?? 1;
    for (const k of ["A", "B", "tie", "invalid"] as const) votes[k] += r.votes[k];
    if (r.verdict !== null) {
      weight[r.verdict] += w;
      voting += w;
      if (!r.position_consistent) allConsistent = false;
    }
    // Picked field by field: a member's full outcome (samples, reasoning, usage) must not ride along.
    return {
      member: i,
      model: members[i]!.model,
      weight: w,
      verdict: r.verdict,
      confidence: r.confidence,
      confidence_source: r.confidence_source ?? "votes",
      verdict_probabilities: r.verdict_probabilities ?? null,
      position_consistent: r.position_consistent,
      votes: { A: r.votes.A, B: r.votes.B, tie: r.votes.tie, invalid: r.votes.invalid },
    };
  });
  if (voting === 0) {
    return { verdict: null, confidence: 0, confidence_source: "votes", verdict_probabilities: null, position_consistent: false, votes, members: memberVotes };
  }
  const ranked = (["A", "B", "tie"] as const).map((v) => [v, weight[v]] as const).sort((x, y) => y[1] - x[1]);
  const [top, second] = ranked;
  const verdict: Verdict = second && second[1] === top![1] ? "tie" : top![0];
  const voters = memberVotes.filter((m) => m.verdict !== null);
  const probs = voters.every((m) => m.verdict_probabilities !== null)
    ? weightedDistribution(voters.map((m) => ({ weight: m.weight, distribution: m.verdict_probabilities! })))
    : null;
  const { confidence, source } = judgmentConfidence(verdict, weight[verdict] / voting, probs);
  return {
    verdict,
    confidence,
    confidence_source: source,
    verdict_probabilities: probs,
    position_consistent: allConsistent,
    votes,
    members: memberVotes,
  };
}
