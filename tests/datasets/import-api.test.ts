import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rawRows } from "../../src/db/client";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { judgebenchRows, jsonl, mtBenchHumanRows, rewardbenchParquet, rewardbenchRows, rmBenchRows } from "./fixtures";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { DATASET_BODY_LIMIT_BYTES: "200000" } });
});
afterAll(async () => {
  await t?.close();
});

async function itemCount(): Promise<number> {
  const [row] = await rawRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from dataset_items`);
  return Number(row!.n);
}

async function upload(query: string, body: string | Uint8Array, contentType: string) {
  const res = await t.app.request(`/v1/datasets?${query}`, { method: "POST", headers: { "content-type": contentType }, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

describe("POST /v1/datasets", () => {
  it("imports a RewardBench Parquet file (several row groups) with counts per subset, deduplicating identical rows", async () => {
    const rows = rewardbenchRows({ "alpacaeval-easy": 3, "llmbar-natural": 2, "math-prm": 2 });
    rows.push({ ...rows[0]!, id: 999 }); // same content as row 1: stored once
    const res = await upload("name=rb&format=rewardbench", new Uint8Array(rewardbenchParquet(rows, 3)), "application/vnd.apache.parquet");
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      name: "rb",
      format: "rewardbench",
      evaluator: "default",
      received: 8,
      inserted: 7,
      duplicates: 1,
      subsets: { "alpacaeval-easy": 3, "llmbar-natural": 2, "math-prm": 2 },
    });
    const got = await t.call("GET", "/v1/datasets/rb");
    expect(got.json).toMatchObject({ name: "rb", items: 7, subsets: { "math-prm": 2 } });
    const items = await t.call("GET", "/v1/datasets/rb/items?limit=5");
    expect(items.json.data).toHaveLength(5);
    expect(items.json.data[0]).toMatchObject({
      subset: "alpacaeval-easy",
      external_id: "0",
      instruction: "alpacaeval-easy prompt 0",
      response_a: "GOOD alpacaeval-easy answer 0",
      response_b: "poor alpacaeval-easy answer 0",
      label: "A",
      meta: { chosen_model: "gpt-4", rejected_model: "llama-7b" },
    });
    const rest = await t.call("GET", `/v1/datasets/rb/items?limit=5&cursor=${items.json.next_cursor}`);
    expect(rest.json.data).toHaveLength(2);
    expect(rest.json.next_cursor).toBeNull();
    const one = await t.call("GET", `/v1/datasets/rb/items/${items.json.data[1].id}`);
    expect(one.json.external_id).toBe("1");
  });

  it("streams a Parquet file written as one big row group (pandas' layout) across several batches: dedup spans batches, a bad row late in the file keeps nothing", async () => {
    // 2,500 rows: more than one slice of the reader and more than one insert batch.
    const rows = rewardbenchRows({ "alpacaeval-easy": 1200, "math-prm": 1300 });
    rows[2200] = { ...rows[3]!, id: 5000 }; // a math-prm row replaced by row 4 again: stored once
    const file = new Uint8Array(rewardbenchParquet(rows, rows.length));
    expect(file.byteLength).toBeLessThan(200_000);
    const res = await upload("name=one-group&format=rewardbench", file, "application/vnd.apache.parquet");
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ received: 2500, inserted: 2499, duplicates: 1, subsets: { "alpacaeval-easy": 1200, "math-prm": 1299 } });
    expect((await t.call("GET", "/v1/datasets/one-group")).json).toMatchObject({ items: 2499 });
    const itemsBefore = await itemCount();

    const broken = rows.map((r) => ({ ...r }));
    broken[2400]!.chosen = "";
    const bad = await upload("name=one-group-broken&format=rewardbench", new Uint8Array(rewardbenchParquet(broken, broken.length)), "application/vnd.apache.parquet");
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([{ path: "row 2401.chosen", message: "must not be empty" }]);
    expect((await t.call("GET", "/v1/datasets/one-group-broken")).status).toBe(404);
    // The first batches were already written when row 2,401 was read: they are gone too.
    expect(await itemCount()).toBe(itemsBefore);
  });

  it("imports JudgeBench JSONL with JudgeBench's own categories as subsets", async () => {
    const res = await upload("name=jb&format=judgebench", jsonl(judgebenchRows()), "application/x-ndjson");
    expect(res.status, res.text).toBe(201);
    expect(res.json.subsets).toEqual({ knowledge: 2, reasoning: 1, math: 1, coding: 1 });
    const items = (await t.call("GET", "/v1/datasets/jb/items?subset=knowledge")).json.data;
    expect(items.map((i: any) => [i.external_id, i.label, i.meta.source])).toEqual([
      ["pair-0", "A", "mmlu-pro-math"],
      ["pair-1", "B", "mmlu-pro-law"],
    ]);
  });

  it("imports MT-Bench human judgments (JSON body) as multi-turn pairs, one row per human vote", async () => {
    const res = await upload("name=mt&format=mt-bench-human", JSON.stringify(mtBenchHumanRows()), "application/json");
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ received: 6, inserted: 6, subsets: { "turn-1": 3, "turn-2": 3 } });
    const items = (await t.call("GET", "/v1/datasets/mt/items")).json.data;
    expect(items[0]).toMatchObject({ conversation: [{ role: "user", content: "Write a haiku about rain." }], response_a: "GOOD haiku one", label: "A" });
    expect(items[2].label).toBe("tie");
    expect(items[3].conversation_a).toHaveLength(4);
    expect(items[3]).toMatchObject({ response_a: "GOOD snow haiku", response_b: "bad snow haiku", meta: { judge: "expert_1", turn: 2 } });
    expect(items[4]).toMatchObject({ label: "tie", meta: { winner: "tie (bothbad)" } });
  });

  it("turns each RM-Bench row into the 9 cells of its style matrix ({items: [...]} JSON)", async () => {
    const res = await upload("name=rm&format=rm-bench", JSON.stringify({ items: rmBenchRows() }), "application/json");
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ received: 2, inserted: 18, subsets: { chat: 9, math: 9 } });
    const items = (await t.call("GET", "/v1/datasets/rm/items?subset=chat&limit=9")).json.data;
    expect(items.map((i: any) => i.meta.cell)).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]);
    expect(items[5]).toMatchObject({ response_a: "GOOD long 0 with details", response_b: "bad **markdown** 0", meta: { chosen_style: "detailed", rejected_style: "markdown" } });
  });

  it("a broken file changes nothing and names the bad line and field", async () => {
    const rows: unknown[] = judgebenchRows();
    (rows[3] as Record<string, unknown>).label = "A=B";
    const res = await upload("name=broken&format=judgebench", jsonl(rows), "application/x-ndjson");
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: "line 4.label", message: 'must be "A>B" or "B>A"' }]);
    expect(res.json.detail).toContain("nothing was imported");
    expect((await t.call("GET", "/v1/datasets/broken")).status).toBe(404);
    const bad = await upload("name=broken&format=rewardbench", '{"prompt": "x"\n', "application/x-ndjson");
    expect(bad.json.errors[0].path).toBe("line 1");
    const rb = rewardbenchRows({ "alpacaeval-easy": 2 });
    delete (rb[1] as Record<string, unknown>).chosen;
    const pq = await upload("name=broken&format=rewardbench", new Uint8Array(rewardbenchParquet(rb.slice(0, 1)).slice(0, 50)), "application/vnd.apache.parquet");
    expect(pq.status).toBe(422);
    const missing = await upload("name=broken&format=rewardbench", JSON.stringify(rb), "application/json");
    expect(missing.json.errors).toEqual([{ path: "item 2.chosen", message: "is missing" }]);
    const list = (await t.call("GET", "/v1/datasets?limit=100")).json.data.map((d: any) => d.name);
    expect(list).not.toContain("broken");
  });

  it("is immutable (409 on a taken name), refuses unknown media types and oversized uploads, and deletes", async () => {
    const again = await upload("name=jb&format=judgebench", jsonl(judgebenchRows()), "application/x-ndjson");
    expect(again.status).toBe(409);
    expect((await upload("name=x&format=judgebench", "a,b", "text/csv")).status).toBe(415);
    expect((await upload("name=x&format=nope", "{}", "application/json")).status).toBe(422);
    const big = jsonl(rewardbenchRows({ "alpacaeval-easy": 3000 }));
    expect(big.length).toBeGreaterThan(200_000);
    const tooBig = await upload("name=big&format=rewardbench", big, "application/x-ndjson");
    expect(tooBig.status).toBe(413);
    expect((await t.call("GET", "/v1/datasets/big")).status).toBe(404);
    expect((await t.call("DELETE", "/v1/datasets/jb")).status).toBe(200);
    expect((await t.call("GET", "/v1/datasets/jb")).status).toBe(404);
  });
});
