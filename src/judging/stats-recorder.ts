import { errorForLog } from "../db/errors";
import { deltaSums, type JudgeStatsDelta, type JudgeStatsSums } from "../db/queries/judge-stats";
import type { Logger } from "../lib/logger";

/**
 * The console's daily numbers (judge_daily_stats), kept off the request path. Writing one upsert
 * per judge call made every request of every instance wait for the same (evaluator, day) row
 * lock and a WAL flush; the recorder adds calls up in memory and writes each (evaluator, day)
 * once per flush instead. The runtime decides when to flush (Node: every STATS_FLUSH_MS and at
 * shutdown; Workers: at the end of each invocation); readers of the table flush first, so a
 * judgment followed by a page view on the same instance shows it.
 */
export interface JudgeStatsRecorder {
  /** Counts one judge call; synchronous, never throws, never touches the database. */
  record(d: JudgeStatsDelta): void;
  /**
   * Writes everything recorded so far in one multi-row upsert. Concurrent calls run one after
   * the other; each resolves once what was recorded before it was written or failed. Never
   * rejects: a failed write is logged and its sums kept for the next flush.
   */
  flush(): Promise<void>;
  /** The final flush (shutdown, end of a Workers invocation). */
  close(): Promise<void>;
}

export interface JudgeStatsRecorderOptions {
  write(rows: JudgeStatsSums[]): Promise<void>;
  logger: Logger;
  /**
   * Most (evaluator, day) rows held while the database refuses writes; calls that would need a
   * new row past it are dropped (and logged) rather than growing memory without bound.
   */
  maxRows?: number;
}

const NUMERIC = [
  "requests",
  "cacheHits",
  "judgments",
  "failed",
  "promptTokens",
  "completionTokens",
  "llmRequests",
  "votes",
  "invalidVotes",
  "latencyMsSum",
] as const;

export function createJudgeStatsRecorder(opts: JudgeStatsRecorderOptions): JudgeStatsRecorder {
  const maxRows = opts.maxRows ?? 10_000;
  let pending = new Map<string, JudgeStatsSums>();
  let droppedCalls = 0;
  let tail: Promise<void> = Promise.resolve();

  /** Adds `s` into `into`; false when that needs a new row and the bound is reached. */
  function add(into: Map<string, JudgeStatsSums>, s: JudgeStatsSums): boolean {
    const key = `${s.evaluatorId}|${s.day}`;
    const cur = into.get(key);
    if (cur) {
      for (const f of NUMERIC) cur[f] += s[f];
      return true;
    }
    if (into.size >= maxRows) return false;
    into.set(key, { ...s });
    return true;
  }

  async function flushOnce(): Promise<void> {
    if (droppedCalls > 0) {
      opts.logger.error({ dropped_calls: droppedCalls, max_rows: maxRows }, "daily judge stats: too many unwritten rows, some calls were not counted");
      droppedCalls = 0;
    }
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    try {
      await opts.write([...batch.values()]);
    } catch (err) {
      opts.logger.warn({ err: errorForLog(err), rows: batch.size }, "could not write the daily judge stats; kept for the next flush");
      // What arrived during the failed write joins the kept sums.
      for (const s of pending.values()) if (!add(batch, s)) droppedCalls += s.requests;
      pending = batch;
    }
  }

  const recorder: JudgeStatsRecorder = {
    record(d) {
      if (!add(pending, deltaSums(d))) droppedCalls += 1;
    },
    flush() {
      // flushOnce never rejects, so the chain never breaks.
      const run = tail.then(flushOnce);
      tail = run;
      return run;
    },
    close() {
      return recorder.flush();
    },
  };
  return recorder;
}
