import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { heldoutItems } from "./helpers";

let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function jsonl(body: string, query = "", contentType = "application/x-ndjson") {
  const res = await t.app.request(`/v1/heldout${query}`, { method: "POST", headers: { "content-type": contentType }, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const total = async (q = "") => (await t.call("GET", `/v1/heldout${q}`)).json.total as number;

describe("held-out import", () => {
  it("imports a JSON batch and skips pairs it already has", async () => {
    const items = heldoutItems(10);
    const first = await t.call("POST", "/v1/heldout", { items });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ evaluator: "default", received: 10, inserted: 10, duplicates: 0 });
    // The same pairs again (one with another label), plus one new and one repeated inside the batch.
    const extra = { instruction: "new", response_a: "x", response_b: "y", label: "tie" };
    const again = await t.call("POST", "/v1/heldout", { items: [...items, { ...items[0], label: "B" }, extra, extra] });
    expect(again.json).toMatchObject({ received: 13, inserted: 1, duplicates: 12 });
    expect(await total()).toBe(11);
    const stored = (await t.call("GET", "/v1/heldout?limit=500")).json.data;
    const firstItem = stored.find((s: { instruction: string }) => s.instruction === items[0]!.instruction);
    expect(firstItem.label).toBe("A"); // the first label stays
    expect(stored.find((s: { instruction: string }) => s.instruction === "new")).toMatchObject({ source: "import", category: null, label: "tie" });
  });

  it("rejects a batch with any invalid item as a whole (422) and stores nothing", async () => {
    const before = await total();
    const bad = await t.call("POST", "/v1/heldout", {
      items: [
        { instruction: "ok", response_a: "a", response_b: "b", label: "A" },
        { instruction: "  ", response_a: "a", response_b: "b", label: "A" },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("items.1.instruction");
    expect((await t.call("POST", "/v1/heldout", { items: [{ instruction: "q", response_a: "a", response_b: "b", label: "C" }] })).status).toBe(422);
    expect((await t.call("POST", "/v1/heldout", { items: [] })).status).toBe(422);
    expect((await t.call("POST", "/v1/heldout", { evaluator: "nope", items: heldoutItems(1, "z") })).status).toBe(404);
    const tooMany = Array.from({ length: 5001 }, (_, i) => ({ instruction: `q${i}`, response_a: "a", response_b: "b", label: "A" }));
    const big = await t.app.request("/v1/heldout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: tooMany }),
    });
    expect([413, 422]).toContain(big.status);
    expect(await total()).toBe(before);
  });

  it("accepts a JSONL upload, one item per line, evaluator from the query", async () => {
    await t.call("POST", "/v1/evaluators", { name: "sql-judge" });
    const lines = heldoutItems(3, "jsonl").map((i) => JSON.stringify(i));
    const res = await jsonl(`${lines.join("\n")}\n\n`, "?evaluator=sql-judge");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ evaluator: "sql-judge", received: 3, inserted: 3, duplicates: 0 });
    expect(await total("?evaluator=sql-judge")).toBe(3);
    const alt = await jsonl(JSON.stringify({ ...heldoutItems(1, "alt")[0] }), "?evaluator=sql-judge", "application/jsonl");
    expect(alt.json.inserted).toBe(1);
  });

  it("reports every bad JSONL line with its number and imports nothing", async () => {
    const good = JSON.stringify({ instruction: "fine", response_a: "a", response_b: "b", label: "A" });
    const body = [good, "{not json", good, JSON.stringify({ instruction: "q", response_a: "a", label: "A" }), ""].join("\n");
    const before = await total();
    const res = await jsonl(body);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain("line 2");
    expect(paths).toContain("line 4.response_b");
    expect(res.json.detail).toMatch(/2 line\(s\) are invalid/);
    expect(await total()).toBe(before);
    expect((await jsonl("\n\n")).status).toBe(422);
    expect((await jsonl("x", "", "text/plain")).status).toBe(415);
  });

  it("pages and filters", async () => {
    await t.call("POST", "/v1/heldout", { items: heldoutItems(12, "page") });
    const math = await t.call("GET", "/v1/heldout?category=math&limit=500");
    expect(math.json.data.length).toBeGreaterThan(0);
    expect(math.json.data.every((i: { category: string }) => i.category === "math")).toBe(true);
    expect(math.json.total).toBe(math.json.data.length);
    const human = await t.call("GET", "/v1/heldout?source=human&label=A&limit=500");
    expect(human.json.data.every((i: { source: string; label: string }) => i.source === "human" && i.label === "A")).toBe(true);

    const all = (await t.call("GET", "/v1/heldout?limit=500")).json;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { data: Array<{ id: string }>; next_cursor: string | null; total: number } } = await t.call(
        "GET",
        `/v1/heldout?limit=7${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.json.total).toBe(all.total);
      seen.push(...page.json.data.map((i) => i.id));
      cursor = page.json.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((i: { id: string }) => i.id));
    expect(new Set(seen).size).toBe(all.total);
  });
});

describe("feedback on a served judgment", () => {
  it("adds the judged pair to the held-out set as human gold, and a second feedback replaces the label", async () => {
    const judged = await t.call("POST", "/v1/judge", { instruction: "Which is right?", response_a: "GOOD one", response_b: "other" });
    expect(judged.status, judged.text).toBe(200);
    const id = judged.json.id;

    const fb = await t.call("POST", `/v1/judgments/${id}/feedback`, { preferred: "B", note: "A is subtly wrong" });
    expect(fb.status, fb.text).toBe(201);
    expect(fb.json).toMatchObject({
      created: true,
      judgment_id: id,
      judge_verdict: "A",
      agrees: false,
      heldout_item: {
        instruction: "Which is right?",
        response_a: "GOOD one",
        response_b: "other",
        label: "B",
        source: "human",
        judgment_id: id,
        note: "A is subtly wrong",
      },
    });
    const again = await t.call("POST", `/v1/judgments/${id}/feedback`, { preferred: "tie" });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ created: false, heldout_item: { id: fb.json.heldout_item.id, label: "tie", note: null } });
    const human = (await t.call("GET", "/v1/heldout?source=human&limit=500")).json.data.filter(
      (i: { judgment_id: string | null }) => i.judgment_id === id,
    );
    expect(human).toHaveLength(1);
  });

  it("answers 404 for an unknown judgment, 422 for a bad label, 409 when the pair came from elsewhere", async () => {
    expect((await t.call("POST", "/v1/judgments/00000000-0000-4000-8000-000000000000/feedback", { preferred: "A" })).status).toBe(404);
    const pair = { instruction: "imported first", response_a: "GOOD", response_b: "meh" };
    await t.call("POST", "/v1/heldout", { items: [{ ...pair, label: "A" }] });
    const judged = await t.call("POST", "/v1/judge", pair);
    expect((await t.call("POST", `/v1/judgments/${judged.json.id}/feedback`, { preferred: "C" })).status).toBe(422);
    const clash = await t.call("POST", `/v1/judgments/${judged.json.id}/feedback`, { preferred: "B" });
    expect(clash.status).toBe(409);
    expect(clash.json.existing_source).toBe("import");
  });
});
