import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rawRows, type Database } from "../../src/db/client";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { cachedJudgmentQuery } from "../../src/db/queries/judgments";

// The judge cache lookup runs on every request. It must stay an index lookup however many
// judgments the version has, also before the table was ever analyzed (a young or fast-growing
// table, or autovacuum off): with only a request_hash index, the planner's stale estimates chose
// (evaluator) AND (version) bitmap scans instead, i.e. every cache miss read all the version's
// judgments, and judge throughput fell as the table grew (bench:cli: 263 → 95 pairs/s in one run).

let t: TestApp;
let database: Database;
let ids: { id: string; vid: string };

beforeAll(async () => {
  t = await createTestApp(); // seeds the default evaluator and its v1
  database = t.database;
  const db = database.db;
  [ids] = (await rawRows<{ id: string; vid: string }>(
    db,
    sql`select e.id, v.id as vid from evaluators e join versions v on v.evaluator_id = e.id where e.name = 'default' and v.number = 1`,
  )) as [{ id: string; vid: string }];
  await db.execute(sql`
    insert into judgments (evaluator_id, version_id, request_hash, instruction, response_a, response_b, samples, swap, status, verdict, usage, latency_ms)
    select ${ids.id}::uuid, ${ids.vid}::uuid, md5(g::text), 'question ' || g, 'a', 'b', 1, true, 'ok', 'A',
           '{"prompt_tokens":1,"completion_tokens":1,"llm_requests":1}'::jsonb, 5
      from generate_series(1, 20000) g`);
});
afterAll(async () => {
  await t?.close();
});

/** EXPLAIN of the product's own cache query, its parameters inlined as literals. */
async function planOf(requestHash: string): Promise<string> {
  const q = cachedJudgmentQuery(database.db, { evaluatorId: ids.id, versionId: ids.vid, requestHash }).toSQL();
  const text = q.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const v = q.params[Number(n) - 1];
    return typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
  const rows = await rawRows<Record<string, string>>(database.db, sql.raw(`explain ${text}`));
  return rows.map((r) => Object.values(r)[0]).join("\n");
}

describe("judge cache lookup", () => {
  it("is an index lookup on judgments_cache_idx on a never-analyzed table of 20,000 judgments (hit and miss)", async () => {
    for (const hash of ["no such request", "c4ca4238a0b923820dcc509a6f75849b" /* md5('1'): a hit */]) {
      const plan = await planOf(hash);
      expect(plan).toContain("judgments_cache_idx");
      expect(plan).not.toMatch(/Seq Scan|BitmapAnd|judgments_version_idx|judgments_evaluator_created_idx/);
    }
  });

  it("finds the newest successful judgment of the request", async () => {
    const rows = await cachedJudgmentQuery(database.db, { evaluatorId: ids.id, versionId: ids.vid, requestHash: "c4ca4238a0b923820dcc509a6f75849b" });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.instruction).toBe("question 1");
  });
});
