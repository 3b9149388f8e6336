import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { sql } from "drizzle-orm";
import { insertJudgment } from "../../src/db/queries/judgments";
import { findVersion, insertVersion } from "../../src/db/queries/versions";
import { DEFAULT_JUDGE_TEMPLATE } from "../../src/judging";
import { garbageJudge, oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "./fixtures";

let fake: FakeLlm;
let t: TestApp;
const T0 = Date.parse("2030-01-01T00:00:00.000Z");
let now = T0;
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();

type Summary = { id: string; verdict: string | null; status: string; created_at: string; version: { name: string } };

async function pageAll(query: string, limit: number): Promise<Summary[]> {
  const out: Summary[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const res = await t.call("GET", `/v1/judgments?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    expect(res.json.data.length).toBeLessThanOrEqual(limit);
    out.push(...res.json.data);
    cursor = res.json.next_cursor;
    if (!cursor) return out;
  }
  throw new Error("paging did not terminate");
}

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url, clock: { now: () => new Date(now) } });
  const def = (await findEvaluatorByName(t.database.db, "default"))!;
  await insertVersion(t.database.db, { evaluatorId: def.id, model: "fake-judge", promptTemplate: DEFAULT_JUDGE_TEMPLATE });
  expect((await t.call("POST", "/v1/evaluators", { name: "other" })).status).toBe(201);

  const plan: Array<[number, "a" | "b" | "none", Record<string, unknown>?]> = [
    [1, "a"],
    [2, "b"],
    [3, "a"],
    [4, "none"],
    [5, "a", { version: "v2" }],
    [6, "b", { evaluator: "other" }],
  ];
  for (const [m, better, extra] of plan) {
    now = Date.parse(minute(m));
    expect((await t.call("POST", "/v1/judge", pair(better, extra))).status).toBe(200);
  }
  now = Date.parse(minute(7));
  fake.setBehavior(garbageJudge);
  expect((await t.call("POST", "/v1/judge", pair("a"))).status).toBe(502);
  fake.setBehavior(oracleJudge);
  // Three judgments in the same instant: the cursor must still visit each exactly once.
  now = Date.parse(minute(8));
  for (let i = 0; i < 3; i++) expect((await t.call("POST", "/v1/judge", pair("b"))).status).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe("GET /v1/judgments", () => {
  it("pages newest first through every judgment of the default evaluator, each exactly once", async () => {
    const all = await pageAll("", 2);
    expect(all).toHaveLength(9);
    expect(new Set(all.map((j) => j.id)).size).toBe(9);
    const times = all.map((j) => Date.parse(j.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(await pageAll("", 1)).toEqual(all);
    const one = await t.call("GET", "/v1/judgments");
    expect(one.json.data).toHaveLength(9);
    expect(one.json.next_cursor).toBeNull();
  });

  it("filters by verdict, status, version, evaluator and time range", async () => {
    const verdicts = (rows: Summary[]) => rows.map((r) => r.verdict).sort();
    expect(verdicts(await pageAll("&verdict=A", 2))).toEqual(["A", "A", "A"]);
    expect(await pageAll("&verdict=B", 2)).toHaveLength(4);
    const failed = await pageAll("&status=failed", 2);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.verdict).toBeNull();
    expect((await pageAll("&version=v2", 2)).map((r) => r.version.name)).toEqual(["v2"]);
    expect(await pageAll("&version=v1&status=ok", 2)).toHaveLength(7);
    const other = await pageAll("&evaluator=other", 2);
    expect(other).toHaveLength(1);
    expect(other[0]!.verdict).toBe("B");
    const window = await pageAll(`&from=${minute(2)}&to=${minute(4)}`, 2);
    expect(window.map((r) => r.created_at).sort()).toEqual([minute(2), minute(3)]);
    expect(await pageAll(`&from=${encodeURIComponent("2030-01-01T01:05:00+01:00")}&verdict=A`, 5)).toHaveLength(1);
  });

  it("summaries carry what a dashboard needs", async () => {
    const [row] = (await t.call("GET", "/v1/judgments?limit=1&verdict=A")).json.data;
    expect(row).toMatchObject({
      status: "ok",
      verdict: "A",
      version: { name: "v2" },
      evaluator: { name: "default" },
      instruction_preview: expect.stringContaining("capital of France"),
      usage: { llm_requests: 2 },
    });
    expect(row.raw_outputs).toBeUndefined();
  });

  it("does not lose or repeat rows whose times differ below a millisecond", async () => {
    const db = t.database.db;
    const ev = (await findEvaluatorByName(db, "other"))!;
    const v1 = (await findVersion(db, ev.id, "v1"))!;
    const base = {
      evaluatorId: ev.id,
      versionId: v1.id,
      requestHash: "x",
      instruction: "q",
      responseA: "a",
      responseB: "b",
      samples: 1,
      swap: true,
      status: "ok" as const,
      verdict: "A" as const,
      usage: { prompt_tokens: 0, completion_tokens: 0, llm_requests: 0 },
      latencyMs: 0,
    };
    // What a writer relying on the database clock produces: same millisecond, distinct microseconds.
    for (const us of ["100", "400", "700"]) {
      await insertJudgment(db, { ...base, createdAt: sql`'2031-01-01T00:00:00.123${sql.raw(us)}Z'::timestamptz` as unknown as Date });
    }
    const rows = await pageAll("&evaluator=other", 1);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.id)).size).toBe(4);
  });

  it("rejects bad queries and unknown names", async () => {
    for (const q of ["limit=0", "limit=201", "limit=abc", "verdict=C", "status=meh", "from=yesterday", "cursor=garbage"]) {
      const res = await t.call("GET", `/v1/judgments?${q}`);
      expect(res.status, q).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await t.call("GET", "/v1/judgments?evaluator=nope")).status).toBe(404);
    expect((await t.call("GET", "/v1/judgments?version=v42")).status).toBe(404);
  });
});
