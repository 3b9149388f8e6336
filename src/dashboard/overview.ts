import type { AppDeps } from "../deps";
import { dayBefore, lastRunPerEvaluator, type LastRunRow } from "../db/queries/dashboard";
import { listEvaluatorsWithActive, type EvaluatorWithActive } from "../db/queries/evaluators";
import { dailyStatsSince, type DailyStatsRow, type JudgeStatsSums } from "../db/queries/judge-stats";

// The console's overview (touches the database): three queries, whatever the traffic.

export const OVERVIEW_DAYS = 30;

/** One day's counts: the recorder's sums without the evaluator and the latency sum. */
export type DayTotals = Omit<JudgeStatsSums, "evaluatorId" | "latencyMsSum">;

export type EvaluatorSummary = EvaluatorWithActive & {
  totals: Omit<DayTotals, "day">;
  lastRun: LastRunRow | null;
};

export type OverviewView = {
  days: string[];
  /** Per evaluator name: one entry per day of `days` (zeros where nothing happened). */
  series: Record<string, DayTotals[]>;
  evaluators: EvaluatorSummary[];
};

const ZERO = { requests: 0, cacheHits: 0, judgments: 0, failed: 0, promptTokens: 0, completionTokens: 0, llmRequests: 0, votes: 0, invalidVotes: 0 };

function add(a: Omit<DayTotals, "day">, r: DailyStatsRow | Omit<DayTotals, "day">): Omit<DayTotals, "day"> {
  return {
    requests: a.requests + r.requests,
    cacheHits: a.cacheHits + r.cacheHits,
    judgments: a.judgments + r.judgments,
    failed: a.failed + r.failed,
    promptTokens: a.promptTokens + Number(r.promptTokens),
    completionTokens: a.completionTokens + Number(r.completionTokens),
    llmRequests: a.llmRequests + r.llmRequests,
    votes: a.votes + r.votes,
    invalidVotes: a.invalidVotes + r.invalidVotes,
  };
}

export async function overviewView(deps: Pick<AppDeps, "database" | "clock" | "judgeStats">): Promise<OverviewView> {
  const db = deps.database.db;
  // This instance's counts not yet written (the recorder flushes in the background) go in first,
  // so a judgment followed by a page view shows it.
  await deps.judgeStats.flush();
  const now = deps.clock.now();
  const from = dayBefore(now, OVERVIEW_DAYS - 1);
  const [evaluators, stats, runs] = await Promise.all([listEvaluatorsWithActive(db), dailyStatsSince(db, from), lastRunPerEvaluator(db)]);
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => dayBefore(now, OVERVIEW_DAYS - 1 - i));
  const byEvaluatorDay = new Map(stats.map((r) => [`${r.evaluatorId}|${r.day}`, r]));
  const lastRun = new Map(runs.map((r) => [r.evaluatorId, r]));
  const series: Record<string, DayTotals[]> = {};
  const summaries: EvaluatorSummary[] = evaluators.map((e) => {
    const rows = days.map((day) => {
      const r = byEvaluatorDay.get(`${e.id}|${day}`);
      return { day, ...(r ? add(ZERO, r) : ZERO) };
    });
    series[e.name] = rows;
    return { ...e, totals: rows.reduce((a, r) => add(a, r), ZERO), lastRun: lastRun.get(e.id) ?? null };
  });
  return { days, series, evaluators: summaries };
}
