import { and, asc, gte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { judgeDailyStats } from "../schema";

export type JudgeStatsDelta = {
  evaluatorId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  cacheHit: boolean;
  /** Absent for a cache hit (nothing was stored). */
  stored?: {
    failed: boolean;
    promptTokens: number;
    completionTokens: number;
    llmRequests: number;
    votes: number;
    invalidVotes: number;
    latencyMs: number;
  };
};

/** Summed counts of one (evaluator, day) row, as the recorder accumulates them between flushes. */
export type JudgeStatsSums = {
  evaluatorId: string;
  day: string;
  requests: number;
  cacheHits: number;
  judgments: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  llmRequests: number;
  votes: number;
  invalidVotes: number;
  latencyMsSum: number;
};

/** One judge call as sums (the unit the recorder adds up). */
export function deltaSums(d: JudgeStatsDelta): JudgeStatsSums {
  const s = d.stored;
  return {
    evaluatorId: d.evaluatorId,
    day: d.day,
    requests: 1,
    cacheHits: d.cacheHit ? 1 : 0,
    judgments: s ? 1 : 0,
    failed: s?.failed ? 1 : 0,
    promptTokens: s?.promptTokens ?? 0,
    completionTokens: s?.completionTokens ?? 0,
    llmRequests: s?.llmRequests ?? 0,
    votes: s?.votes ?? 0,
    invalidVotes: s?.invalidVotes ?? 0,
    latencyMsSum: s?.latencyMs ?? 0,
  };
}

/**
 * Adds the sums to their (evaluator, day) rows: one multi-row upsert. Rows are written in key
 * order so two instances flushing overlapping rows lock them in the same order (no deadlock).
 * Keys must be distinct (PostgreSQL refuses to update one row twice in a statement).
 */
export async function addJudgeStats(db: Db, rows: JudgeStatsSums[]): Promise<void> {
  if (rows.length === 0) return;
  const t = judgeDailyStats;
  const sorted = [...rows].sort((a, b) => (a.evaluatorId === b.evaluatorId ? cmp(a.day, b.day) : cmp(a.evaluatorId, b.evaluatorId)));
  await db
    .insert(t)
    .values(sorted)
    .onConflictDoUpdate({
      target: [t.evaluatorId, t.day],
      set: {
        requests: sql`${t.requests} + excluded.requests`,
        cacheHits: sql`${t.cacheHits} + excluded.cache_hits`,
        judgments: sql`${t.judgments} + excluded.judgments`,
        failed: sql`${t.failed} + excluded.failed`,
        promptTokens: sql`${t.promptTokens} + excluded.prompt_tokens`,
        completionTokens: sql`${t.completionTokens} + excluded.completion_tokens`,
        llmRequests: sql`${t.llmRequests} + excluded.llm_requests`,
        votes: sql`${t.votes} + excluded.votes`,
        invalidVotes: sql`${t.invalidVotes} + excluded.invalid_votes`,
        latencyMsSum: sql`${t.latencyMsSum} + excluded.latency_ms_sum`,
      },
    });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type DailyStatsRow = typeof judgeDailyStats.$inferSelect;

/** Every evaluator's daily rows since `fromDay` (inclusive), oldest first: one indexed range read. */
export async function dailyStatsSince(db: Db, fromDay: string): Promise<DailyStatsRow[]> {
  return db.select().from(judgeDailyStats).where(and(gte(judgeDailyStats.day, fromDay))).orderBy(asc(judgeDailyStats.day));
}
