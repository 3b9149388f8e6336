import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRows, type Database } from "../../src/db/client";
import { createPgBossQueue } from "../../src/jobs/pg-boss";
import type { JobQueue } from "../../src/jobs/queue";
import { silentLogger } from "../../src/lib/logger";
import { createTestDatabase } from "../helpers/test-db";

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the pg-boss queue as the fleet uses it (stately, keyed per run)", () => {
  let database: Database;
  let jobs: JobQueue;
  beforeAll(async () => {
    database = await createTestDatabase();
    jobs = await createPgBossQueue(database, silentLogger);
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.close();
  });

  it("one job waits and one runs per key; a dead holder's active job, once failed, lets the next one start", async () => {
    await jobs.ensureQueue("fleet-test", { policy: "stately", retryLimit: 0 });
    const started: string[] = [];
    const releases: Array<() => void> = [];
    await jobs.work<{ n: number }>(
      "fleet-test",
      async (data) => {
        started.push(`k:${data.n}`);
        await new Promise<void>((r) => releases.push(r));
      },
      { localConcurrency: 3, pollingIntervalSeconds: 0.5 },
    );
    expect(await jobs.send("fleet-test", { n: 1 }, { singletonKey: "k" })).toEqual(expect.any(String));
    await until(() => started.length === 1);
    // While it runs, one "continue" may wait behind it; a third send is a no-op.
    expect(await jobs.send("fleet-test", { n: 2 }, { singletonKey: "k" })).toEqual(expect.any(String));
    expect(await jobs.send("fleet-test", { n: 3 }, { singletonKey: "k" })).toBeNull();
    // Another key is not held back.
    expect(await jobs.send("fleet-test", { n: 9 }, { singletonKey: "other" })).toEqual(expect.any(String));
    await until(() => started.includes("k:9"));
    await new Promise((r) => setTimeout(r, 1500));
    expect(started.filter((s) => s !== "k:9")).toEqual(["k:1"]);
    // The holder is declared dead (its lease lapsed): failing its job lets the waiting one start.
    expect(await jobs.failActive!("fleet-test", "k")).toBe(1);
    await until(() => started.includes("k:2"));
    expect(await jobs.failActive!("fleet-test", "nobody")).toBe(0);
    for (const r of releases) r();
  });

  it("the 0008 migration turns existing queues stately without retries and drops their stale jobs", async () => {
    await jobs.ensureQueue("training.run", { retryLimit: 5 });
    await jobs.send("training.run", { runId: "x" }, { singletonKey: "x" });
    await jobs.send("training.run", { runId: "x" }, { singletonKey: "x" });
    const file = readFileSync(new URL("../../drizzle/0008_multi_instance.sql", import.meta.url), "utf8");
    const block = file.slice(file.indexOf("DO $$"));
    await database.db.execute(sql.raw(block));
    const [queue] = await rawRows<{ policy: string; retry_limit: number }>(database.db, sql`select policy, retry_limit from pgboss.queue where name = 'training.run'`);
    expect(queue).toEqual({ policy: "stately", retry_limit: 0 });
    const [left] = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from pgboss.job where name = 'training.run' and state < 'completed'`);
    expect(Number(left!.n)).toBe(0);
  });
});
