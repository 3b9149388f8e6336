import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { listActivationEvents } from "../../src/db/queries/audit";
import { versions } from "../../src/db/schema";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { ON_POSTGRES } from "../helpers/test-db";

const ADMIN = "admin-secret-for-version-tests-0123";
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
let t: TestApp;
let judgeKey: string;
let adminKey: { id: string; secret: string };

beforeAll(async () => {
  t = await createTestApp({ env: { SELFJUDGE_ADMIN_KEY: ADMIN, LLM_MAX_RETRIES: "0" } });
  judgeKey = (await t.call("POST", "/v1/keys", { name: "app", scope: "judge" }, bearer(ADMIN))).json.secret;
  const k = (await t.call("POST", "/v1/keys", { name: "ops", scope: "admin" }, bearer(ADMIN))).json;
  adminKey = { id: k.id, secret: k.secret };
  for (let i = 0; i < 5; i++) {
    const res = await t.call("POST", "/v1/versions", { model: `m${i + 2}` }, bearer(ADMIN));
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
});

describe(`20 concurrent activations (${ON_POSTGRES ? "PostgreSQL: truly concurrent" : "PGlite: interleaved on one connection"})`, () => {
  it("leave exactly one active version and an unbroken audit chain", async () => {
    const names = ["v2", "v3", "v4", "v5", "v6", "v1"];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.call("POST", `/v1/versions/${names[i % names.length]}/activate`, { reason: `race ${i}` }, bearer(adminKey.secret)),
      ),
    );
    for (const r of results) expect([200, 409], r.text).toContain(r.status);
    const ok = results.filter((r) => r.status === 200);
    // 409 only when the target is already active; whatever the interleaving, each of v2..v6 wins once.
    expect(ok.length).toBeGreaterThanOrEqual(5);

    const evaluator = (await findEvaluatorByName(t.database.db, "default"))!;
    const active = await t.database.db
      .select()
      .from(versions)
      .where(and(eq(versions.evaluatorId, evaluator.id), eq(versions.status, "active")));
    expect(active).toHaveLength(1);

    const events = await listActivationEvents(t.database.db, evaluator.id);
    expect(events).toHaveLength(ok.length);
    const v1 = (await t.call("GET", "/v1/versions/v1", undefined, bearer(ADMIN))).json;
    expect(events[0]!.fromVersionId).toBe(v1.id);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.fromVersionId, `event ${i}`).toBe(events[i - 1]!.toVersionId);
      expect(events[i]!.fromVersionId).not.toBe(events[i]!.toVersionId);
    }
    expect(events.at(-1)!.toVersionId).toBe(active[0]!.id);
    // Every successful call's answer matches its audit event, and names the key that made it.
    const byEvent = new Map(events.map((e) => [e.id, e]));
    for (const r of ok) {
      const e = byEvent.get(r.json.audit_event_id)!;
      expect(e.toVersionId).toBe(r.json.version.id);
      expect(e.fromVersionId).toBe(r.json.previous.id);
      expect(e.actor).toBe(adminKey.id);
    }
    // Everything that is not active was demoted, not left half-changed.
    const all = (await t.call("GET", "/v1/versions", undefined, bearer(ADMIN))).json.data;
    expect(all.filter((v: { status: string }) => v.status === "active")).toHaveLength(1);
  });
});

describe("a judge-scoped key", () => {
  it("gets 403 on every versions, held-out and evaluation write (and on their reads)", async () => {
    const judged = await t.call("POST", "/v1/judge", { instruction: "q", response_a: "a", response_b: "b" }, bearer(judgeKey));
    expect(judged.status).not.toBe(403); // it may judge (the LLM is unreachable here, so not a 200)
    const someId = "00000000-0000-4000-8000-000000000000";
    const writes: Array<[string, string, unknown]> = [
      ["POST", "/v1/versions", { model: "x" }],
      ["POST", "/v1/versions/v1/activate", { reason: "x" }],
      ["POST", "/v1/versions/rollback", { reason: "x" }],
      ["POST", "/v1/heldout", { items: [{ instruction: "q", response_a: "a", response_b: "b", label: "A" }] }],
      ["POST", `/v1/judgments/${someId}/feedback`, { preferred: "A" }],
      ["POST", "/v1/evaluations", { version: "v2" }],
      ["POST", `/v1/evaluations/${someId}/cancel`, {}],
      ["GET", "/v1/versions", undefined],
      ["GET", "/v1/versions/active", undefined],
      ["GET", "/v1/heldout", undefined],
      ["GET", "/v1/evaluations", undefined],
      ["GET", "/v1/audit", undefined],
    ];
    const before = (await t.call("GET", "/v1/versions", undefined, bearer(ADMIN))).json.data;
    for (const [method, path, body] of writes) {
      const res = await t.call(method, path, body, bearer(judgeKey));
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const jsonl = await t.app.request("/v1/heldout", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", ...bearer(judgeKey) },
      body: '{"instruction":"q","response_a":"a","response_b":"b","label":"A"}\n',
    });
    expect(jsonl.status).toBe(403);
    // Nothing changed, and the same calls work with the admin key.
    expect((await t.call("GET", "/v1/versions", undefined, bearer(ADMIN))).json.data).toEqual(before);
    expect((await t.call("GET", "/v1/heldout", undefined, bearer(ADMIN))).json.total).toBe(0);
    expect((await t.call("POST", "/v1/versions", { model: "x" }, bearer(ADMIN))).status).toBe(201);
  });
});
