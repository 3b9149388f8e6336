import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { poolSize } from "../../src/db/queries/traffic";
import { insertVersion, type VersionRow } from "../../src/db/queries/versions";
import { traffic, versions } from "../../src/db/schema";
import { DEFAULT_JUDGE_TEMPLATE } from "../../src/judging";
import { garbageJudge, oracleJudge, scriptedJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "./fixtures";

let fake: FakeLlm;
let t: TestApp;
let v2: VersionRow;
let defaultId: string;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url });
  defaultId = (await findEvaluatorByName(t.database.db, "default"))!.id;
  v2 = await insertVersion(t.database.db, {
    evaluatorId: defaultId,
    model: "fake-judge-v2",
    promptTemplate: DEFAULT_JUDGE_TEMPLATE,
    params: { samples: 3, swap: true },
  });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.setBehavior(oracleJudge));

describe("judgment cache", () => {
  it("answers an identical request from the stored judgment with zero LLM calls", async () => {
    const req = pair("a", { metadata: { run: 1 } });
    const first = await t.call("POST", "/v1/judge", req);
    expect(first.status).toBe(200);
    expect(first.json.cached).toBe(false);

    const calls = chatCount(fake);
    // Same fields in another order, different metadata: still the same question.
    const reordered = { response_b: req.response_b, metadata: { run: 2 }, response_a: req.response_a, instruction: req.instruction };
    const second = await t.call("POST", "/v1/judge", reordered);
    expect(second.status).toBe(200);
    expect(chatCount(fake)).toBe(calls);
    expect(second.json).toMatchObject({
      id: first.json.id,
      cached: true,
      verdict: first.json.verdict,
      votes: first.json.votes,
      created_at: first.json.created_at,
      usage: { prompt_tokens: 0, completion_tokens: 0, llm_requests: 0 },
    });

    const fresh = await t.call("POST", "/v1/judge", { ...req, cache: false });
    expect(fresh.status).toBe(200);
    expect(fresh.json.cached).toBe(false);
    expect(fresh.json.id).not.toBe(first.json.id);
    expect(chatCount(fake)).toBe(calls + 2);
  });

  it("treats different params, reference or version as a different request", async () => {
    const req = pair("b");
    await t.call("POST", "/v1/judge", req);
    for (const variant of [{ samples: 2 }, { swap: false }, { temperature: 0.5 }, { reference: "Paris" }, { version: "v2" }]) {
      const calls = chatCount(fake);
      const res = await t.call("POST", "/v1/judge", { ...req, ...variant });
      expect(res.status, JSON.stringify(variant)).toBe(200);
      expect(res.json.cached, JSON.stringify(variant)).toBe(false);
      expect(chatCount(fake), JSON.stringify(variant)).toBeGreaterThan(calls);
    }
  });

  it("resolves defaults before hashing: explicit defaults hit the cache", async () => {
    const req = pair("a");
    const first = await t.call("POST", "/v1/judge", req);
    const explicit = await t.call("POST", "/v1/judge", { ...req, samples: 1, swap: true, evaluator: "default", version: "v1", reference: "" });
    expect(explicit.json).toMatchObject({ id: first.json.id, cached: true });
  });

  it("prints a cached answer exactly like the fresh one", async () => {
    fake.setBehavior(scriptedJudge(["A", "A", "B"]));
    const req = pair("a", { samples: 3, swap: false, temperature: 0.7 });
    const fresh = await t.call("POST", "/v1/judge", req);
    expect(fresh.json).toMatchObject({ verdict: "A", confidence: 0.666667, votes: { A: 2, B: 1 } });
    const cached = await t.call("POST", "/v1/judge", req);
    const { usage: _u1, latency_ms: _l1, cached: _c1, ...a } = fresh.json;
    const { usage: _u2, latency_ms: _l2, cached: _c2, ...b } = cached.json;
    expect(b).toEqual(a);
    expect((await t.call("GET", `/v1/judgments/${fresh.json.id}`)).json.params).toEqual({ samples: 3, swap: false, temperature: 0.7 });
  });

  it("never serves a failed judgment from the cache", async () => {
    const req = pair("a");
    fake.setBehavior(garbageJudge);
    const bad = await t.call("POST", "/v1/judge", req);
    expect(bad.status).toBe(502);
    fake.setBehavior(oracleJudge);
    const calls = chatCount(fake);
    const good = await t.call("POST", "/v1/judge", req);
    expect(good.status).toBe(200);
    expect(good.json.cached).toBe(false);
    expect(good.json.id).not.toBe(bad.json.judgment_id);
    expect(chatCount(fake)).toBe(calls + 2);
  });
});

describe("garbage judge output", () => {
  it("answers 502 problem+json and stores every raw output, retrievable by GET", async () => {
    fake.setBehavior(garbageJudge);
    const req = pair("a", { metadata: { source: "ci" } });
    const res = await t.call("POST", "/v1/judge", req);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json).toMatchObject({
      status: 502,
      type: expect.stringContaining("judge_output_invalid"),
      votes: { A: 0, B: 0, tie: 0, invalid: 2 },
    });
    expect(res.json.judgment_id).toMatch(/^[0-9a-f-]{36}$/);

    const stored = await t.call("GET", `/v1/judgments/${res.json.judgment_id}`);
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({
      id: res.json.judgment_id,
      status: "failed",
      verdict: null,
      instruction: req.instruction,
      response_a: req.response_a,
      response_b: req.response_b,
      metadata: { source: "ci" },
      params: { samples: 1, swap: true },
      version: { name: "v1" },
    });
    expect(stored.json.error).toContain("judge_output_invalid");
    expect(stored.json.raw_outputs).toHaveLength(2);
    expect(stored.json.raw_outputs.map((o: { order: string }) => o.order).sort()).toEqual(["ab", "ba"]);
    for (const o of stored.json.raw_outputs) {
      expect(o.vote).toBe("invalid");
      expect(o.text).toContain("hard to say");
      expect(typeof o.reason).toBe("string");
    }
    expect(stored.json.usage.llm_requests).toBe(2);
  });
});

describe("version resolution", () => {
  it("pins a version by name or id and uses its model and params", async () => {
    for (const version of ["v2", v2.id]) {
      const calls = chatCount(fake);
      const res = await t.call("POST", "/v1/judge", pair("b", { version }));
      expect(res.status).toBe(200);
      expect(res.json.version).toEqual({ id: v2.id, name: "v2" });
      // v2's params say 3 samples per order.
      expect(res.json.votes.B).toBe(6);
      const sent = fake.chatRequests().slice(calls);
      expect(sent.every((r) => r.model === "fake-judge-v2" && r.n === 3)).toBe(true);
    }
  });

  it("404s an unknown version or evaluator", async () => {
    for (const body of [pair("a", { version: "v99" }), pair("a", { version: "00000000-0000-4000-8000-000000000000" }), pair("a", { evaluator: "nope" })]) {
      const res = await t.call("POST", "/v1/judge", body);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("follows a change of the active version on the very next request", async () => {
    const db = t.database.db;
    const before = await t.call("POST", "/v1/judge", pair("a"));
    expect(before.json.version.name).toBe("v1");
    await db.update(versions).set({ status: "retired" }).where(eq(versions.name, "v1"));
    await db.update(versions).set({ status: "active" }).where(eq(versions.id, v2.id));
    try {
      const after = await t.call("POST", "/v1/judge", pair("a"));
      expect(after.json.version.name).toBe("v2");
    } finally {
      await db.update(versions).set({ status: "candidate" }).where(eq(versions.id, v2.id));
      await db.update(versions).set({ status: "active" }).where(eq(versions.name, "v1"));
    }
  });
});

describe("traffic pool", () => {
  it("adds each judged instruction once, whatever the outcome", async () => {
    const db = t.database.db;
    const req = pair("a");
    const start = await poolSize(db, defaultId);
    await t.call("POST", "/v1/judge", req);
    await t.call("POST", "/v1/judge", { ...req, cache: false });
    expect(await poolSize(db, defaultId)).toBe(start + 1);
    const [row] = await db.select().from(traffic).where(eq(traffic.instruction, req.instruction));
    expect(row).toMatchObject({ source: "judge", evaluatorId: defaultId });
  });
});
