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

/** Adds one judge call to its (evaluator, day) row: one upsert. */
export async function bumpJudgeStats(db: Db, d: JudgeStatsDelta): Promise<void> {
  const s = d.stored;
  const t = judgeDailyStats;
  await db
    .insert(t)
    .values({
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
    })
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

export type DailyStatsRow = typeof judgeDailyStats.$inferSelect;

/** Every evaluator's daily rows since `fromDay` (inclusive), oldest first: one indexed range read. */
export async function dailyStatsSince(db: Db, fromDay: string): Promise<DailyStatsRow[]> {
  return db.select().from(judgeDailyStats).where(and(gte(judgeDailyStats.day, fromDay))).orderBy(asc(judgeDailyStats.day));
}
