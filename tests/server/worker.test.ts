import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openPostgres, rawRows } from "../../src/db/client";
import { listEvaluators } from "../../src/db/queries/evaluators";
import worker from "../../src/worker";
import { oracleJudge } from "../fake-llm/judges";
import { startFakeLlm } from "../fake-llm/server";
import { createScratchPostgres, ON_POSTGRES } from "../helpers/test-db";
import { runMigrateCli } from "./spawn-server";

// The Workers entry, called the way workerd calls it (fetch(request, env, ctx)), and the
// `db:migrate` step a Worker deployment relies on, since the Worker never migrates or seeds.

const ADMIN_KEY = "worker-test-admin-key-0123456789";
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function callWorker(env: Record<string, unknown>, path: string, init?: RequestInit) {
  const pending: Promise<unknown>[] = [];
  const res = await worker.fetch(new Request(`https://selfjudge.example${path}`, init), env, {
    waitUntil: (p) => void pending.push(p),
  });
  const text = await res.text();
  await Promise.all(pending);
  return { status: res.status, contentType: res.headers.get("content-type"), json: text ? JSON.parse(text) : undefined };
}

describe("Workers entry", () => {
  it.each([
    ["no database binding", { SELFJUDGE_ADMIN_KEY: ADMIN_KEY }, "HYPERDRIVE"],
    ["no admin key", { HYPERDRIVE: { connectionString: "postgres://u:p@127.0.0.1:9/x" } }, "SELFJUDGE_ADMIN_KEY"],
    [
      "a bad setting",
      { HYPERDRIVE: { connectionString: "postgres://u:p@127.0.0.1:9/x" }, SELFJUDGE_ADMIN_KEY: ADMIN_KEY, LLM_TIMEOUT_MS: "soon" },
      "LLM_TIMEOUT_MS",
    ],
  ])("answers 500 problem+json naming the fix when it has %s", async (_what, env, named) => {
    const res = await callWorker(env, "/healthz");
    expect(res.status).toBe(500);
    expect(res.contentType).toBe("application/problem+json");
    expect(res.json.detail).toContain(named);
  });

  if (ON_POSTGRES) {
    it("serves the judge through a Hyperdrive binding on a database prepared by db:migrate", async () => {
      const scratch = await createScratchPostgres(process.env.DATABASE_URL, "sj_worker");
      cleanups.push(scratch.drop);
      const migrated = await runMigrateCli({ DATABASE_URL: scratch.url, JUDGE_MODEL: "fake-judge" });
      expect(migrated.code, migrated.output).toBe(0);
      const llm = await startFakeLlm({ behavior: oracleJudge });
      cleanups.push(() => llm.close());
      const env = {
        HYPERDRIVE: { connectionString: scratch.url },
        SELFJUDGE_ADMIN_KEY: ADMIN_KEY,
        OPENAI_BASE_URL: llm.url,
        JUDGE_MODEL: "ignored-once-v1-exists",
        JOBS_ENABLED: "false",
        LOG_LEVEL: "silent",
      };

      expect((await callWorker(env, "/healthz")).json).toMatchObject({ status: "ok", database: "postgres" });
      const body = JSON.stringify({ instruction: "Capital of France?", response_a: "Lyon", response_b: "Paris GOOD" });
      const anonymous = await callWorker(env, "/v1/judge", { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(anonymous.status).toBe(401);
      const judged = await callWorker(env, "/v1/judge", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_KEY}` },
        body,
      });
      expect(judged.status).toBe(200);
      expect(judged.json).toMatchObject({ verdict: "B", position_consistent: true, version: { name: "v1" } });
      expect(llm.chatRequests().map((r) => r.model)).toEqual(["fake-judge", "fake-judge"]);
      // The same request again is a cache hit; both count in the console's daily stats, written
      // after each response (ctx.waitUntil), not lost with the invocation.
      const again = await callWorker(env, "/v1/judge", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_KEY}` },
        body,
      });
      expect(again.json).toMatchObject({ cached: true });
      const statsDb = await openPostgres(scratch.url, { max: 1 });
      cleanups.push(() => statsDb.close());
      const [stats] = await rawRows(statsDb.db, sql`select requests, cache_hits, judgments from judge_daily_stats`);
      expect(stats).toEqual({ requests: 2, cache_hits: 1, judgments: 1 });

      // Running it again (every deploy does) changes nothing.
      expect((await runMigrateCli({ DATABASE_URL: scratch.url, JUDGE_MODEL: "other" })).code).toBe(0);
      const db = await openPostgres(scratch.url, { max: 1 });
      cleanups.push(() => db.close());
      expect((await listEvaluators(db.db)).map((e) => [e.name, e.seedModel])).toEqual([["default", "fake-judge"]]);
    }, 60_000);
  }
});
