import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "../judge-api/fixtures";

const ADMIN = "admin-secret-for-tests-0123456789";
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
let fake: FakeLlm;
let t: TestApp;
let teamA: string; // judge key bound to team-a
let both: string; // judge key bound to team-a and team-b
let unbound: string;
let judgmentA: string;
let judgmentB: string;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url, env: { SELFJUDGE_ADMIN_KEY: ADMIN } });
  for (const name of ["team-a", "team-b"]) {
    expect((await t.call("POST", "/v1/evaluators", { name }, bearer(ADMIN))).status).toBe(201);
  }
  const key = async (body: Record<string, unknown>) => {
    const res = await t.call("POST", "/v1/keys", body, bearer(ADMIN));
    expect(res.status, res.text).toBe(201);
    return res.json;
  };
  const a = await key({ name: "team a", scope: "judge", evaluators: ["team-a"] });
  expect(a.evaluators).toEqual(["team-a"]);
  teamA = a.secret;
  both = (await key({ name: "a and b", scope: "judge", evaluators: ["team-a", "team-b"] })).secret;
  const u = await key({ name: "everything", scope: "judge" });
  expect(u.evaluators).toBeNull();
  unbound = u.secret;
  judgmentA = (await t.call("POST", "/v1/judge", pair("a", { evaluator: "team-a" }), bearer(ADMIN))).json.id;
  judgmentB = (await t.call("POST", "/v1/judge", pair("a", { evaluator: "team-b" }), bearer(ADMIN))).json.id;
  expect(judgmentA).toBeTruthy();
  expect(judgmentB).toBeTruthy();
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe("creating bound keys", () => {
  it("lists the evaluators a key is bound to", async () => {
    const list = await t.call("GET", "/v1/keys", undefined, bearer(ADMIN));
    const names = Object.fromEntries(list.json.data.map((k: any) => [k.name, k.evaluators]));
    expect(names).toMatchObject({ "team a": ["team-a"], "a and b": ["team-a", "team-b"], everything: null });
  });

  it("refuses unknown evaluators and bound admin keys with a 422", async () => {
    const unknown = await t.call("POST", "/v1/keys", { name: "x", scope: "judge", evaluators: ["nope"] }, bearer(ADMIN));
    expect(unknown.status).toBe(422);
    expect(unknown.json.detail).toContain("nope");
    const admin = await t.call("POST", "/v1/keys", { name: "x", scope: "admin", evaluators: ["team-a"] }, bearer(ADMIN));
    expect(admin.status).toBe(422);
  });
});

describe("a key bound to evaluators sees nothing outside them (404, like a missing one)", () => {
  it("judges its own evaluator, and with no evaluator named uses its only one", async () => {
    const own = await t.call("POST", "/v1/judge", pair("a", { evaluator: "team-a" }), bearer(teamA));
    expect(own.status).toBe(200);
    expect(own.json.evaluator.name).toBe("team-a");
    const implicit = await t.call("POST", "/v1/judge", pair("b"), bearer(teamA));
    expect(implicit.status).toBe(200);
    expect(implicit.json.evaluator.name).toBe("team-a");
  });

  it("cannot judge another evaluator, nor the default one, and no LLM call is made", async () => {
    const before = chatCount(fake);
    for (const evaluator of ["team-b", "default"]) {
      const res = await t.call("POST", "/v1/judge", pair("a", { evaluator }), bearer(teamA));
      expect(res.status).toBe(404);
      expect(res.json.detail).toBe(`evaluator '${evaluator}' does not exist`);
    }
    // Same answer as an evaluator that does not exist at all: names do not leak.
    const missing = await t.call("POST", "/v1/judge", pair("a", { evaluator: "no-such" }), bearer(teamA));
    expect(missing.status).toBe(404);
    expect(chatCount(fake)).toBe(before);
  });

  it("cannot judge another evaluator inside a batch; its own items still succeed", async () => {
    const res = await t.call(
      "POST",
      "/v1/judge/batch",
      { items: [pair("a", { evaluator: "team-a" }), pair("a", { evaluator: "team-b" })] },
      bearer(teamA),
    );
    expect(res.status).toBe(200);
    expect(res.json.results[0].ok).toBe(true);
    expect(res.json.results[1]).toMatchObject({ ok: false, error: { status: 404 } });
    const batchDefault = await t.call("POST", "/v1/judge/batch", { evaluator: "team-b", items: [pair("a")] }, bearer(teamA));
    expect(batchDefault.json.results[0]).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it("cannot read another evaluator's judgment by id", async () => {
    expect((await t.call("GET", `/v1/judgments/${judgmentA}`, undefined, bearer(teamA))).status).toBe(200);
    const other = await t.call("GET", `/v1/judgments/${judgmentB}`, undefined, bearer(teamA));
    expect(other.status).toBe(404);
    expect(other.json.detail).toBe(`no judgment ${judgmentB}`);
  });

  it("cannot list another evaluator's judgments", async () => {
    const own = await t.call("GET", "/v1/judgments", undefined, bearer(teamA));
    expect(own.status).toBe(200);
    expect(own.json.data.length).toBeGreaterThan(0);
    expect(own.json.data.every((j: any) => j.evaluator.name === "team-a")).toBe(true);
    expect((await t.call("GET", "/v1/judgments?evaluator=team-b", undefined, bearer(teamA))).status).toBe(404);
    expect((await t.call("GET", "/v1/judgments?evaluator=default", undefined, bearer(teamA))).status).toBe(404);
  });

  it("feeds no other evaluator's training pool", async () => {
    const stats = async (evaluator: string) =>
      (await t.call("GET", `/v1/traffic/stats?evaluator=${evaluator}`, undefined, bearer(ADMIN))).json.total as number;
    const before = await stats("team-b");
    await t.call("POST", "/v1/judge", pair("a", { evaluator: "team-b" }), bearer(teamA));
    await t.call("POST", "/v1/judge/batch", { items: [pair("a", { evaluator: "team-b" })] }, bearer(teamA));
    expect(await stats("team-b")).toBe(before);
    // Traffic ingestion is admin-only for judge keys anyway.
    expect((await t.call("POST", "/v1/traffic", { evaluator: "team-b", items: [{ instruction: "x" }] }, bearer(teamA))).status).toBe(403);
  });

  it("a key bound to two evaluators uses both, and `default` when none is named", async () => {
    expect((await t.call("GET", `/v1/judgments/${judgmentB}`, undefined, bearer(both))).status).toBe(200);
    expect((await t.call("POST", "/v1/judge", pair("a", { evaluator: "team-b" }), bearer(both))).status).toBe(200);
    expect((await t.call("POST", "/v1/judge", pair("a"), bearer(both))).status).toBe(404);
  });

  it("an unbound judge key keeps today's behaviour: every evaluator", async () => {
    for (const evaluator of ["team-a", "team-b", "default"]) {
      expect((await t.call("POST", "/v1/judge", pair("a", { evaluator }), bearer(unbound))).status).toBe(200);
    }
    expect((await t.call("GET", `/v1/judgments/${judgmentB}`, undefined, bearer(unbound))).status).toBe(200);
  });
});
