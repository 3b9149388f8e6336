import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rawRows } from "../../src/db/client";
import { countQueries } from "../helpers/query-counter";
import { createTestApp, type TestApp } from "../helpers/test-app";

// Every console page loads what it shows in a constant number of queries: the count with many
// rows (versions, judgments, runs, held-out items, audit events) equals the count with one.

let t: TestApp;
let counter: ReturnType<typeof countQueries>;

beforeAll(async () => {
  t = await createTestApp();
  counter = countQueries(t.database);
});
afterAll(async () => {
  counter?.restore();
  await t?.close();
});

let round = 0;
async function grow(n: number) {
  const db = t.database.db;
  const tag = `${++round}:${n}`; // content hashes stay unique across calls
  const [ev] = await rawRows<{ id: string; vid: string }>(
    db,
    sql`select e.id, v.id as vid from evaluators e join versions v on v.evaluator_id = e.id where e.name = 'default' and v.number = 1`,
  );
  const have = (await rawRows<{ n: number }>(db, sql`select count(*)::int as n from versions where evaluator_id = ${ev!.id}::uuid`))[0]!.n;
  await db.execute(sql`
    insert into versions (evaluator_id, number, name, model, prompt_template, status, metrics)
    select ${ev!.id}::uuid, g, 'v' || g, 'm', (select prompt_template from versions where id = ${ev!.vid}::uuid), 'retired',
           jsonb_build_object('n', 100, 'accuracy', 0.7, 'ci95', jsonb_build_array(0.6, 0.8), 'position_consistent_accuracy', 0.65)
      from generate_series(${have + 1}::int, ${n}::int) g`);
  await db.execute(sql`
    insert into judgments (evaluator_id, version_id, request_hash, instruction, response_a, response_b, samples, swap, status, verdict, usage, latency_ms)
    select ${ev!.id}::uuid, ${ev!.vid}::uuid, md5(g::text || ${tag}::text), 'question ' || g, 'a', 'b', 1, true, 'ok', 'A',
           '{"prompt_tokens":1,"completion_tokens":1,"llm_requests":1}'::jsonb, 5
      from generate_series(1, ${n}::int) g`);
  await db.execute(sql`
    insert into judge_daily_stats (evaluator_id, day, requests) select ${ev!.id}::uuid, current_date - g, 1 from generate_series(0, ${Math.min(n, 29)}::int) g
    on conflict do nothing`);
  await db.execute(sql`
    insert into heldout_items (evaluator_id, instruction, response_a, response_b, label, source, category, content_hash)
    select ${ev!.id}::uuid, 'h ' || g, 'a', 'b', 'A', (array['human','import','synthetic'])[1 + g % 3], 'c' || (g % 7), md5('h' || g || ${tag}::text)
      from generate_series(1, ${n}::int) g`);
  await db.execute(sql`
    insert into audit_events (evaluator_id, action, actor, reason) select ${ev!.id}::uuid, 'register', 'admin-env', 'r' || g from generate_series(1, ${n}::int) g`);
  await db.execute(sql`
    insert into training_runs (evaluator_id, params, status, iteration)
    select ${ev!.id}::uuid, '{"iterations":1}'::jsonb, 'completed', 1 from generate_series(1, ${n}::int) g`);
  await db.execute(sql`
    insert into evaluations (evaluator_id, candidate_version_id, status) select ${ev!.id}::uuid, ${ev!.vid}::uuid, 'completed' from generate_series(1, ${n}::int) g`);
  await db.execute(sql`insert into api_keys (name, scope, prefix, hash) select 'k' || g, 'judge', 'sj_x', md5('k' || g || ${tag}::text) from generate_series(1, ${n}::int) g`);
}

async function queriesFor(path: string): Promise<number> {
  counter.reset();
  const res = await t.app.request(path);
  expect(res.status, `${path}: ${(await res.clone().text()).slice(0, 300)}`).toBe(200);
  await res.text();
  return counter.count;
}

const PAGES = ["/", "/ui/evaluators/default", "/ui/evaluations", "/ui/training", "/ui/judgments", "/ui/judgments?q=question", "/ui/heldout", "/ui/keys"];

describe("console pages", () => {
  it("run the same number of queries with 1 and with 40 rows of everything", async () => {
    const countAll = async () => {
      const out: Record<string, number> = {};
      for (const p of PAGES) out[p] = await queriesFor(p);
      return out;
    };
    await grow(1);
    const one = await countAll();
    await grow(40);
    const many = await countAll();
    expect(many).toEqual(one);
    for (const p of PAGES) expect(one[p], p).toBeLessThanOrEqual(10);
  });

  it("detail pages (an evaluation, a training run, a judgment, a live region) run the same number of queries with 1 and with 40 rows of everything", async () => {
    await grow(1);
    const db = t.database.db;
    const one = async (table: string) => (await rawRows<{ id: string }>(db, sql`select id from ${sql.raw(table)} order by created_at limit 1`))[0]!.id;
    const [evaluation, run, judgment] = [await one("evaluations"), await one("training_runs"), await one("judgments")];
    const details = [
      `/ui/evaluations/${evaluation}`,
      `/ui/evaluations/${evaluation}/live`,
      `/ui/training/${run}`,
      `/ui/judgments/${judgment}`,
    ];
    const countAll = async () => {
      const out: Record<string, number> = {};
      for (const p of details) out[p] = await queriesFor(p);
      return out;
    };
    const before = await countAll();
    await grow(40);
    expect(await countAll()).toEqual(before);
    for (const p of details) expect(before[p], p).toBeLessThanOrEqual(8);
  });
});
