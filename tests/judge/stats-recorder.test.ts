import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rawRows, type Database } from "../../src/db/client";
import { addJudgeStats, type JudgeStatsDelta, type JudgeStatsSums } from "../../src/db/queries/judge-stats";
import { insertEvaluator } from "../../src/evaluators/bootstrap";
import { createJudgeStatsRecorder } from "../../src/judging/stats-recorder";
import type { Logger } from "../../src/lib/logger";
import { createTestDatabase } from "../helpers/test-db";

const hit = (evaluatorId: string, day = "2026-12-02"): JudgeStatsDelta => ({ evaluatorId, day, cacheHit: true });
const stored = (evaluatorId: string, promptTokens: number, day = "2026-12-02"): JudgeStatsDelta => ({
  evaluatorId,
  day,
  cacheHit: false,
  stored: { failed: false, promptTokens, completionTokens: 1, llmRequests: 2, votes: 2, invalidVotes: 0, latencyMs: 10 },
});

function recordingLogger() {
  const lines: Array<{ level: string; msg: string | undefined }> = [];
  const log = (level: string) => (_obj: object | string, msg?: string) => void lines.push({ level, msg });
  const logger = { info: log("info"), warn: log("warn"), error: log("error"), debug: log("debug") } as unknown as Logger;
  return { lines, logger };
}

/** A write seam that fails while `failing` is set and otherwise keeps every batch it got. */
function fakeStore() {
  const batches: JudgeStatsSums[][] = [];
  const store = {
    failing: false,
    batches,
    async write(rows: JudgeStatsSums[]) {
      await new Promise((r) => setTimeout(r, 5));
      if (store.failing) throw new Error("connection refused");
      batches.push(rows.map((r) => ({ ...r })));
    },
    /** Sum of one field over everything written for one key. */
    total(evaluatorId: string, field: keyof JudgeStatsSums, day = "2026-12-02") {
      return batches.flat().filter((r) => r.evaluatorId === evaluatorId && r.day === day).reduce((a, r) => a + Number(r[field]), 0);
    },
  };
  return store;
}

describe("JudgeStatsRecorder (no database)", () => {
  it("adds calls up per (evaluator, day) and writes each row once per flush", async () => {
    const store = fakeStore();
    const rec = createJudgeStatsRecorder({ write: store.write, logger: recordingLogger().logger });
    for (let i = 0; i < 30; i++) rec.record(hit("e1"));
    for (let i = 0; i < 12; i++) rec.record(stored("e1", 100));
    rec.record(stored("e2", 7));
    rec.record(hit("e1", "2026-12-03"));
    expect(store.batches).toHaveLength(0); // record() never writes by itself
    await rec.flush();
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0]).toHaveLength(3);
    expect(store.total("e1", "requests")).toBe(42);
    expect(store.total("e1", "cacheHits")).toBe(30);
    expect(store.total("e1", "judgments")).toBe(12);
    expect(store.total("e1", "promptTokens")).toBe(1200);
    expect(store.total("e1", "llmRequests")).toBe(24);
    expect(store.total("e1", "latencyMsSum")).toBe(120);
    expect(store.total("e2", "promptTokens")).toBe(7);
    expect(store.total("e1", "requests", "2026-12-03")).toBe(1);
    await rec.flush();
    expect(store.batches).toHaveLength(1); // nothing new, nothing written
  });

  it("runs concurrent flushes one after the other and loses no call recorded in between", async () => {
    const store = fakeStore();
    let inFlight = 0;
    let maxInFlight = 0;
    const write = async (rows: JudgeStatsSums[]) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await store.write(rows);
      } finally {
        inFlight--;
      }
    };
    const rec = createJudgeStatsRecorder({ write, logger: recordingLogger().logger });
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      rec.record(i % 3 === 0 ? stored("e1", 5) : hit("e1"));
      if (i % 7 === 0) flushes.push(rec.flush());
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all([...flushes, rec.close()]);
    expect(maxInFlight).toBe(1);
    expect(store.total("e1", "requests")).toBe(200);
    expect(store.total("e1", "judgments")).toBe(67);
    expect(store.total("e1", "promptTokens")).toBe(67 * 5);
  });

  it("keeps the sums of a failed flush, logs a warning, and writes them with the next flush", async () => {
    const store = fakeStore();
    const { lines, logger } = recordingLogger();
    const rec = createJudgeStatsRecorder({ write: store.write, logger });
    for (let i = 0; i < 5; i++) rec.record(hit("e1"));
    store.failing = true;
    await expect(rec.flush()).resolves.toBeUndefined(); // never rejects
    expect(lines.filter((l) => l.level === "warn")).toHaveLength(1);
    rec.record(stored("e1", 3)); // arrives while the database is down
    await rec.flush();
    expect(store.batches).toHaveLength(0);
    store.failing = false;
    await rec.flush();
    expect(store.batches).toHaveLength(1);
    expect(store.total("e1", "requests")).toBe(6);
    expect(store.total("e1", "cacheHits")).toBe(5);
    expect(store.total("e1", "promptTokens")).toBe(3);
  });

  it("bounds what it keeps while writes fail: calls needing a row past maxRows are dropped and logged", async () => {
    const store = fakeStore();
    const { lines, logger } = recordingLogger();
    const rec = createJudgeStatsRecorder({ write: store.write, logger, maxRows: 2 });
    store.failing = true;
    rec.record(hit("e1"));
    rec.record(hit("e2"));
    rec.record(hit("e3")); // a third row: over the bound
    rec.record(hit("e1")); // an existing row still counts
    await rec.flush();
    store.failing = false;
    await rec.flush();
    expect(store.total("e1", "requests")).toBe(2);
    expect(store.total("e2", "requests")).toBe(1);
    expect(store.total("e3", "requests")).toBe(0);
    expect(lines.some((l) => l.level === "error")).toBe(true);
  });

  it("close() writes what is pending", async () => {
    const store = fakeStore();
    const rec = createJudgeStatsRecorder({ write: store.write, logger: recordingLogger().logger });
    rec.record(hit("e1"));
    rec.record(stored("e1", 9));
    await rec.close();
    expect(store.total("e1", "requests")).toBe(2);
    expect(store.total("e1", "promptTokens")).toBe(9);
  });
});

describe("JudgeStatsRecorder on the database (addJudgeStats)", () => {
  let database: Database;
  let e1: string;
  let e2: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    const now = new Date();
    e1 = (await insertEvaluator(database.db, { name: "stats-e1", seedModel: "m" }, now)).id;
    e2 = (await insertEvaluator(database.db, { name: "stats-e2", seedModel: "m" }, now)).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  async function row(evaluatorId: string) {
    const [r] = await rawRows(
      database.db,
      sql`select requests, cache_hits, judgments, prompt_tokens::int as prompt_tokens from judge_daily_stats where evaluator_id = ${evaluatorId}::uuid and day = '2026-12-02'`,
    );
    return r;
  }

  it("concurrent records and flushes end with exactly the summed counts; a failed write is retried", async () => {
    const { lines, logger } = recordingLogger();
    let failNext = false;
    const rec = createJudgeStatsRecorder({
      logger,
      write: async (rows) => {
        if (failNext) {
          failNext = false;
          throw new Error("simulated outage");
        }
        await addJudgeStats(database.db, rows);
      },
    });
    // 100 "requests" from concurrent tasks, flushes racing them, one write failing midway.
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i % 10));
        rec.record(i % 4 === 0 ? stored(i % 2 ? e2 : e1, 10) : hit(i % 2 ? e2 : e1));
        if (i === 50) failNext = true;
        if (i % 9 === 0) await rec.flush();
      }),
    );
    await rec.close();
    expect(lines.filter((l) => l.level === "warn")).toHaveLength(1); // the outage did hit a flush
    // e1: even i (50 calls), of which i % 4 === 0 are stored (25); e2: odd i, never stored.
    expect(await row(e1)).toEqual({ requests: 50, cache_hits: 25, judgments: 25, prompt_tokens: 250 });
    expect(await row(e2)).toEqual({ requests: 50, cache_hits: 50, judgments: 0, prompt_tokens: 0 });
  });
});
