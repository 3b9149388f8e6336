/**
 * Turning per-sample votes into one verdict.
 *
 * Frames: in order "ab" the caller's response_a is shown as Assistant A; in order "ba" the caller's
 * response_b is shown as Assistant A. `raw` votes are in the judge's frame, everything this module
 * returns is in the caller's frame.
 *
 * Decisions:
 * - Per order, the majority of valid votes; a tie for the most votes (e.g. 2 A vs 2 B, or 2 A vs
 *   2 tie) makes that order's majority "tie". An order with no valid vote has no majority.
 * - With swap: both majorities equal → that verdict, position_consistent true. They differ (one
 *   may be "tie") → verdict "tie", position_consistent false: the judge's preference followed the
 *   position, which is the bias we are removing. Only one order has a majority → its verdict, with
 *   position_consistent false (it could not be checked).
 * - Without swap: the "ab" majority, and position_consistent false, because consistency is only
 *   claimed when it was verified in both orders.
 * - No valid vote at all → verdict null, confidence 0.
 * - confidence = votes for the final verdict / valid votes in both orders. A position-inconsistent
 *   tie that no sample voted for therefore has confidence 0, which is the honest number.
 */
export type Vote = "A" | "B" | "tie" | "invalid";
export type Verdict = "A" | "B" | "tie";
export type Order = "ab" | "ba";

export interface VoteCounts {
  A: number;
  B: number;
  tie: number;
  invalid: number;
}

export interface Aggregate {
  verdict: Verdict | null;
  confidence: number;
  position_consistent: boolean;
  votes: VoteCounts;
  majorities: { ab: Verdict | null; ba: Verdict | null };
}

/** Maps a vote from the judge's frame for `order` into the caller's frame. */
export function toCallerFrame(raw: Vote, order: Order): Vote {
  if (order === "ab" || raw === "tie" || raw === "invalid") return raw;
  return raw === "A" ? "B" : "A";
}

export function countVotes(votes: readonly Vote[]): VoteCounts {
  const c: VoteCounts = { A: 0, B: 0, tie: 0, invalid: 0 };
  for (const v of votes) c[v] += 1;
  return c;
}

export function orderMajority(votes: readonly Vote[]): Verdict | null {
  const c = countVotes(votes);
  const ranked = (["A", "B", "tie"] as const).map((v) => [v, c[v]] as const).sort((x, y) => y[1] - x[1]);
  const [top, second] = ranked;
  if (!top || top[1] === 0) return null;
  if (second && second[1] === top[1]) return "tie";
  return top[0];
}

/** `ba` omitted means no swap was done. Votes must already be in the caller's frame. */
export function aggregateVotes(input: { ab: readonly Vote[]; ba?: readonly Vote[] }): Aggregate {
  const swapped = input.ba !== undefined;
  const all = [...input.ab, ...(input.ba ?? [])];
  const votes = countVotes(all);
  const ab = orderMajority(input.ab);
  const ba = swapped ? orderMajority(input.ba ?? []) : null;

  let verdict: Verdict | null;
  let position_consistent = false;
  if (!swapped) verdict = ab;
  else if (ab !== null && ba !== null) {
    position_consistent = ab === ba;
    verdict = position_consistent ? ab : "tie";
  } else verdict = ab ?? ba;

  const valid = votes.A + votes.B + votes.tie;
  const confidence = verdict === null || valid === 0 ? 0 : votes[verdict] / valid;
  return { verdict, confidence, position_consistent, votes, majorities: { ab, ba } };
}
