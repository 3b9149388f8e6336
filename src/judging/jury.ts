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
 */
import type { Verdict, VoteCounts } from "./aggregate";

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
}

export interface MemberVote extends MemberResult {
  member: number;
  model: string;
  weight: number;
}

export interface JuryAggregate {
  verdict: Verdict | null;
  confidence: number;
  position_consistent: boolean;
  votes: VoteCounts;
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
    return { member: i, model: members[i]!.model, weight: w, ...r };
  });
  if (voting === 0) return { verdict: null, confidence: 0, position_consistent: false, votes, members: memberVotes };
  const ranked = (["A", "B", "tie"] as const).map((v) => [v, weight[v]] as const).sort((x, y) => y[1] - x[1]);
  const [top, second] = ranked;
  const verdict: Verdict = second && second[1] === top![1] ? "tie" : top![0];
  return {
    verdict,
    confidence: weight[verdict] / voting,
    position_consistent: allConsistent,
    votes,
    members: memberVotes,
  };
}
