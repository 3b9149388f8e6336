import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { versions } from "../../src/db/schema";
import { DEFAULT_JUDGE_TEMPLATE } from "../../src/judging";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { byModelJudge } from "../evaluation/helpers";

let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: byModelJudge });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function register(body: Record<string, unknown>) {
  const res = await t.call("POST", "/v1/versions", body);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

describe("registering versions", () => {
  it("starts with the seed v1 active, and registers candidates named v<N> with defaults", async () => {
    const active = await t.call("GET", "/v1/versions/active");
    expect(active.status).toBe(200);
    expect(active.json).toMatchObject({ name: "v1", number: 1, status: "active", model: "fake-judge", evaluator: "default" });

    const v = await register({ model: "oracle", notes: "a better judge", params: { temperature: 0, samples: 1 } });
    expect(v).toMatchObject({
      name: "v2",
      number: 2,
      status: "candidate",
      model: "oracle",
      base_url: null,
      prompt_template: DEFAULT_JUDGE_TEMPLATE,
      few_shot: [],
      params: { temperature: 0, samples: 1 },
      notes: "a better judge",
      training_run_id: null,
      iteration: null,
      metrics: null,
      gate_decision: null,
      activated_at: null,
    });
    expect(Date.parse(v.created_at)).not.toBeNaN();

    const byName = await t.call("GET", "/v1/versions/v2");
    const byId = await t.call("GET", `/v1/versions/${v.id}`);
    expect(byName.json).toEqual(v);
    expect(byId.json).toEqual(v);
    const list = await t.call("GET", "/v1/versions");
    expect(list.json.data.map((x: { name: string }) => x.name).slice(0, 2)).toEqual(["v2", "v1"]);
    const candidates = await t.call("GET", "/v1/versions?status=candidate");
    expect(candidates.json.data.every((x: { status: string }) => x.status === "candidate")).toBe(true);
  });

  it("keeps few-shot examples and a custom template, and refuses unusable ones with 422", async () => {
    const v = await register({
      model: "oracle",
      few_shot: [{ instruction: "2+2?", response_a: "4", response_b: "5", judgment: "A is right.\n[[A]]" }],
      prompt_template: "{{user}}\nQ: {instruction}\nA: {response_a}\nB: {response_b}\nAnswer [[A]] or [[B]] or [[C]].",
    });
    expect(v.few_shot).toHaveLength(1);
    const before = (await t.call("GET", "/v1/versions")).json.data.length;

    const badTemplate = await t.call("POST", "/v1/versions", { model: "x", prompt_template: "Judge {instruction}" });
    expect(badTemplate.status).toBe(422);
    expect(badTemplate.headers.get("content-type")).toContain("application/problem+json");
    const badShot = await t.call("POST", "/v1/versions", {
      model: "x",
      few_shot: [{ instruction: "q", response_a: "a", response_b: "b", judgment: "no verdict here" }],
    });
    expect(badShot.status).toBe(422);
    expect((await t.call("POST", "/v1/versions", { model: "x", params: { temperature: 9 } })).status).toBe(422);
    expect((await t.call("POST", "/v1/versions", { model: "x", unknown_field: 1 })).status).toBe(422);
    expect((await t.call("POST", "/v1/versions", { model: "" })).status).toBe(422);
    const unknownRun = await t.call("POST", "/v1/versions", { model: "x", training_run_id: "00000000-0000-4000-8000-000000000000" });
    expect(unknownRun.status).toBe(422);
    expect((await t.call("POST", "/v1/versions", { model: "x", evaluator: "nope" })).status).toBe(404);
    // Bad input changes nothing.
    expect((await t.call("GET", "/v1/versions")).json.data.length).toBe(before);
  });

  it("is immutable: there is no way to edit a version", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const res = await t.call(method, "/v1/versions/v2", { model: "changed" });
      expect(res.status, method).toBe(404);
    }
    expect((await t.call("GET", "/v1/versions/v2")).json.model).toBe("oracle");
  });

  it("answers 404 for unknown versions everywhere", async () => {
    expect((await t.call("GET", "/v1/versions/v999")).status).toBe(404);
    expect((await t.call("GET", "/v1/versions/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await t.call("POST", "/v1/versions/v999/activate", { reason: "x" })).status).toBe(404);
    expect((await t.call("GET", "/v1/versions?evaluator=nope")).status).toBe(404);
    const judged = await t.call("POST", "/v1/judge", { instruction: "q", response_a: "a", response_b: "b", version: "v999" });
    expect(judged.status).toBe(404);
  });
});

describe("activation, rollback and the audit trail", () => {
  it("activates with a reason in one step, refuses a second activation of the same version, and audits it", async () => {
    const res = await t.call("POST", "/v1/versions/v2/activate", { reason: "oracle is better" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.version).toMatchObject({ name: "v2", status: "active" });
    expect(res.json.previous.name).toBe("v1");
    expect(res.json.version.activated_at).not.toBeNull();
    expect((await t.call("GET", "/v1/versions/v1")).json.status).toBe("retired");
    expect((await t.call("GET", "/v1/versions/active")).json.name).toBe("v2");

    const again = await t.call("POST", "/v1/versions/v2/activate", { reason: "twice" });
    expect(again.status).toBe(409);
    expect((await t.call("POST", "/v1/versions/v1/activate", {})).status).toBe(422); // reason is required

    const audit = await t.call("GET", "/v1/audit?action=activate");
    expect(audit.status).toBe(200);
    expect(audit.json.data[0]).toMatchObject({
      action: "activate",
      evaluator: "default",
      from: { name: "v1" },
      to: { name: "v2" },
      reason: "oracle is better",
      actor: null, // auth is off in this app
    });
    const registered = await t.call("GET", "/v1/audit?action=register");
    expect(registered.json.data.map((e: { details: { version: string } }) => e.details.version)).toContain("v2");
  });

  it("rolls back in one call, walking back through history, and says 409 when there is nothing earlier", async () => {
    await register({ model: "contrarian" }); // v4
    expect((await t.call("POST", "/v1/versions/v4/activate", { reason: "try v4" })).status).toBe(200);
    // History: v1 → v2 → v4.
    const r1 = await t.call("POST", "/v1/versions/rollback", { reason: "v4 misbehaves" });
    expect(r1.status, r1.text).toBe(200);
    expect(r1.json.version.name).toBe("v2");
    expect(r1.json.previous.name).toBe("v4");
    const r2 = await t.call("POST", "/v1/versions/rollback", {});
    expect(r2.json.version.name).toBe("v1");
    const r3 = await t.call("POST", "/v1/versions/rollback", {});
    expect(r3.status).toBe(409);
    expect((await t.call("GET", "/v1/versions/active")).json.name).toBe("v1");

    const trail = await t.call("GET", "/v1/audit?action=rollback");
    expect(trail.json.data.map((e: { from: { name: string }; to: { name: string } }) => `${e.from.name}>${e.to.name}`)).toEqual([
      "v2>v1",
      "v4>v2",
    ]);
    expect(trail.json.data[1].reason).toBe("v4 misbehaves");
  });

  it("lets an admin activate a rejected candidate explicitly, and records the override", async () => {
    const ev = (await findEvaluatorByName(t.database.db, "default"))!;
    const v = await register({ model: "contrarian", notes: "will be rejected" });
    await t.database.db.update(versions).set({ status: "rejected" }).where(and(eq(versions.evaluatorId, ev.id), eq(versions.id, v.id)));
    const res = await t.call("POST", `/v1/versions/${v.id}/activate`, { reason: "override the gate" });
    expect(res.status).toBe(200);
    const audit = await t.call("GET", "/v1/audit?action=activate&limit=1");
    expect(audit.json.data[0].details.previous_status).toBe("rejected");
    expect((await t.call("POST", "/v1/versions/v1/activate", { reason: "back" })).status).toBe(200);
  });

  it("serves a pinned old version after a rollback, and the active one to unpinned requests", async () => {
    await t.call("POST", "/v1/versions/v2/activate", { reason: "oracle" });
    await t.call("POST", "/v1/versions/rollback", { reason: "back to v1" });
    expect((await t.call("GET", "/v1/versions/active")).json.name).toBe("v1");

    const pair = { instruction: "pinned question", response_a: "weak", response_b: "GOOD", cache: false };
    const before = fake.chatRequests().length;
    const pinned = await t.call("POST", "/v1/judge", { ...pair, version: "v2" });
    expect(pinned.status, pinned.text).toBe(200);
    expect(pinned.json.version.name).toBe("v2");
    expect(pinned.json.verdict).toBe("B"); // the oracle model
    const models = fake.chatRequests().slice(before).map((r) => r.model);
    expect(new Set(models)).toEqual(new Set(["oracle"]));

    const unpinned = await t.call("POST", "/v1/judge", pair);
    expect(unpinned.json.version.name).toBe("v1");
    expect(fake.chatRequests().at(-1)!.model).toBe("fake-judge");
  });

  it("pages the audit trail with a cursor", async () => {
    const all = (await t.call("GET", "/v1/audit?limit=500")).json.data;
    expect(all.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { data: Array<{ id: string }>; next_cursor: string | null } } = await t.call(
        "GET",
        `/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.json.data.map((e) => e.id));
      cursor = page.json.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e: { id: string }) => e.id));
    expect((await t.call("GET", "/v1/audit?cursor=garbage")).status).toBe(422);
  });
});
