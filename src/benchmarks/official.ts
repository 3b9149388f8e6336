import { chosenScore, flipLabel, groupBy, meanScore, round, sortedRecord, weightedScore, type BenchUnit, type Score } from "./stats";

// JudgeBench, MT-Bench human agreement and RM-Bench, scored the way their own code does (pure).

export const JUDGEBENCH_RULE =
  "JudgeBench (utils/metrics.py, compute_final_metrics with reverse_order): each judged order votes +1 for the labelled " +
  "answer, -1 for the other, 0 for a tie or no verdict; a pair is correct when the sum is positive, so one right order " +
  "plus a tie counts and two disagreeing orders do not; accuracy = correct / all pairs.";

/** JudgeBench's per-pair decision over both orders. */
export function judgebenchCorrect(u: Pick<BenchUnit, "label" | "orders">): boolean {
  let counter = 0;
  for (const v of [u.orders.ab, u.orders.ba]) {
    if (v === undefined || v === null) continue;
    if (v === u.label) counter += 1;
    else if (v === flipLabel(u.label) && v !== "tie") counter -= 1;
  }
  return counter > 0;
}

export function judgebenchScores(units: readonly BenchUnit[]) {
  const score = (us: readonly BenchUnit[]) => round(meanScore(us.map((u) => (judgebenchCorrect(u) ? 1 : 0))));
  const bySource = groupBy(units, (u) => String(u.meta.source ?? u.subset));
  return {
    rule: JUDGEBENCH_RULE,
    overall: score(units),
    categories: sortedRecord(new Map([...groupBy(units, (u) => u.subset)].map(([k, us]) => [k, score(us)]))),
    sources: sortedRecord(new Map([...bySource].map(([k, us]) => [k, score(us)]))),
  };
}

export const MT_BENCH_RULE =
  "MT-Bench paper / FastChat compute_agreement.py: every human vote on a pair is compared with the judge's one verdict " +
  "for that pair (both orders aggregated; orders that disagree make a tie). With ties: all votes, a tie (also 'tie " +
  "(bothbad)') agrees with a tie. Without ties: votes where the human or the judge said tie are left out. A judge " +
  "with no valid verdict disagrees. Votes of judges named author_* are left out (compute_agreement.py counts only " +
  "expert_* judges as human); votes under any other judge name count. Random baseline: 1/3 with ties, 1/2 without.";

/** The paper authors' own votes (judge "author_N"): compute_agreement.py does not count them as human votes. */
const authorVote = (u: BenchUnit) => typeof u.meta.judge === "string" && u.meta.judge.startsWith("author");

function agreement(units: readonly BenchUnit[], withTies: boolean): Score {
  const kept = withTies ? units : units.filter((u) => u.label !== "tie" && u.verdict !== "tie");
  return round(meanScore(kept.map((u) => (u.verdict !== null && u.verdict === u.label ? 1 : 0))));
}

export function mtBenchScores(all: readonly BenchUnit[]) {
  const units = all.filter((u) => !authorVote(u));
  const setups = (us: readonly BenchUnit[]) => ({
    with_ties: { ...agreement(us, true), random_baseline: 1 / 3 },
    without_ties: { ...agreement(us, false), random_baseline: 1 / 2 },
  });
  return {
    rule: MT_BENCH_RULE,
    author_votes_excluded: all.length - units.length,
    overall: setups(units),
    turns: sortedRecord(new Map([...groupBy(units, (u) => u.subset)].map(([k, us]) => [k, setups(us)]))),
  };
}

export const RM_BENCH_RULE =
  "RM-Bench (compute_accuracy): a 3×3 matrix M[i][j] = accuracy of chosen style i against rejected style j (0 concise, " +
  "1 detailed, 2 detailed markdown), each cell scored like RewardBench (1 both orders prefer chosen, 0 both rejected, " +
  "0.5 otherwise); hard = mean of the upper triangle (chosen less styled than rejected), normal = the diagonal, easy = " +
  "the lower triangle, avg = all nine cells. Sections chat, math, code, safety (safety-refuse + safety-response); the " +
  "overall easy/normal/hard/avg are means over the sections present, as the RM-Bench leaderboard reports them.";

type MatrixScores = { easy: Score; normal: Score; hard: Score; avg: Score; matrix: number[][] };

function matrixScores(units: readonly BenchUnit[]): MatrixScores {
  const cells: number[][][] = [0, 1, 2].map(() => [[], [], []]);
  for (const u of units) {
    const cell = u.meta.cell as [number, number] | undefined;
    if (!cell) continue;
    cells[cell[0]]![cell[1]]!.push(chosenScore(u));
  }
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const matrix = cells.map((row) => row.map(mean));
  const group = (pick: (i: number, j: number) => boolean) => {
    const vals: number[] = [];
    const means: number[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (!pick(i, j)) continue;
        vals.push(...cells[i]![j]!);
        means.push(matrix[i]![j]!);
      }
    }
    // The score is the official mean of cell means; its interval comes from the pooled pairs.
    const pooled = meanScore(vals);
    return { n: pooled.n, score: mean(means), ci95: pooled.ci95 };
  };
  return {
    hard: group((i, j) => i < j),
    normal: group((i, j) => i === j),
    easy: group((i, j) => i > j),
    avg: group(() => true),
    matrix,
  };
}

const RM_SECTION: Record<string, string> = { "safety-refuse": "safety", "safety-response": "safety" };

export function rmBenchScores(units: readonly BenchUnit[]) {
  const domains = sortedRecord(new Map([...groupBy(units, (u) => u.subset)].map(([k, us]) => [k, matrixScores(us)])));
  const sectionMap = groupBy(units, (u) => RM_SECTION[u.subset] ?? u.subset);
  const sections = sortedRecord(new Map([...sectionMap].map(([k, us]) => [k, matrixScores(us)])));
  const across = (key: "easy" | "normal" | "hard" | "avg"): Score => {
    const parts = Object.values(sections).map((s) => s[key]);
    const w = weightedScore(parts.map((p) => ({ weight: 1, score: p.score, n: p.n, se: ((p.ci95[1] - p.ci95[0]) / 2) / 1.959963984540054 })));
    return round(w);
  };
  return {
    rule: RM_BENCH_RULE,
    overall: { easy: across("easy"), normal: across("normal"), hard: across("hard"), avg: across("avg") },
    sections,
    domains,
  };
}

export const PAIRS_RULE = "Accuracy: the verdict (both orders aggregated; disagreeing orders make a tie) equals the label; no verdict is wrong.";

export function pairsScores(units: readonly BenchUnit[]) {
  const acc = (us: readonly BenchUnit[]) => round(meanScore(us.map((u) => (u.verdict !== null && u.verdict === u.label ? 1 : 0))));
  return {
    rule: PAIRS_RULE,
    overall: acc(units),
    categories: sortedRecord(new Map([...groupBy(units, (u) => u.subset)].map(([k, us]) => [k, acc(us)]))),
  };
}
