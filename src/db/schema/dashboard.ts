import { bigint, date, index, integer, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { evaluators } from "./core";

/**
 * Judge traffic per evaluator and UTC day, kept up to date as judgments are served (one upsert
 * per judge call), so the console's plots read a few rows instead of scanning every judgment.
 * Cache hits are only counted here: they store no judgment.
 */
export const judgeDailyStats = pgTable(
  "judge_daily_stats",
  {
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    day: date("day", { mode: "string" }).notNull(),
    /** Judge calls answered, cache hits included. */
    requests: integer("requests").notNull().default(0),
    cacheHits: integer("cache_hits").notNull().default(0),
    /** Judgments stored (calls that reached the LLM), and those of them that failed. */
    judgments: integer("judgments").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull().default(0),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull().default(0),
    llmRequests: integer("llm_requests").notNull().default(0),
    votes: integer("votes").notNull().default(0),
    invalidVotes: integer("invalid_votes").notNull().default(0),
    latencyMsSum: bigint("latency_ms_sum", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.evaluatorId, t.day] }), index("judge_daily_stats_day_idx").on(t.day)],
);
