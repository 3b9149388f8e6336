import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "../../src/db/schema";
import { sha256Hex } from "../../src/lib/hash";
import { createTestApp, type TestApp } from "../helpers/test-app";

const ADMIN = "admin-secret-for-tests-0123456789";
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { SELFJUDGE_ADMIN_KEY: ADMIN } });
});
afterAll(async () => {
  await t?.close();
});

describe("authentication", () => {
  it("401s every /v1 route without a bearer token, but not /healthz", async () => {
    for (const [method, path] of [["GET", "/v1/evaluators"], ["GET", "/v1/keys"], ["POST", "/v1/judge"], ["GET", "/v1/judgments"]]) {
      const res = await t.call(method!, path!, method === "POST" ? {} : undefined);
      expect(res.status, path).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    for (const auth of ["Basic abc", `Bearer`, `Token ${ADMIN}`, `Bearer ${ADMIN}x`]) {
      expect((await t.call("GET", "/v1/evaluators", undefined, { authorization: auth })).status, auth).toBe(401);
    }
    expect((await t.call("GET", "/healthz")).status).toBe(200);
  });

  it("accepts the admin key from the environment", async () => {
    expect((await t.call("GET", "/v1/evaluators", undefined, bearer(ADMIN))).status).toBe(200);
  });
});

describe("API keys", () => {
  it("creates a key whose secret is shown once and stored only hashed", async () => {
    const res = await t.call("POST", "/v1/keys", { name: "ci", scope: "judge" }, bearer(ADMIN));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: "ci", scope: "judge", revoked_at: null });
    expect(res.json.secret).toMatch(/^sj_/);
    expect(res.json.secret.startsWith(res.json.prefix)).toBe(true);

    const list = await t.call("GET", "/v1/keys", undefined, bearer(ADMIN));
    const listed = list.json.data.find((k: { id: string }) => k.id === res.json.id);
    expect(listed).toMatchObject({ name: "ci", scope: "judge" });
    expect(JSON.stringify(list.json)).not.toContain(res.json.secret);

    const rows = await t.database.db.select().from(apiKeys);
    expect(JSON.stringify(rows)).not.toContain(res.json.secret);
    expect(rows.find((r) => r.id === res.json.id)!.hash).toBe(await sha256Hex(res.json.secret));
  });

  it("an admin-scoped key can administer; a judge key cannot", async () => {
    const admin = (await t.call("POST", "/v1/keys", { name: "ops", scope: "admin" }, bearer(ADMIN))).json.secret;
    const judge = (await t.call("POST", "/v1/keys", { name: "app", scope: "judge" }, bearer(ADMIN))).json.secret;
    expect((await t.call("GET", "/v1/keys", undefined, bearer(admin))).status).toBe(200);
    expect((await t.call("POST", "/v1/keys", { name: "x", scope: "judge" }, bearer(admin))).status).toBe(201);
    expect((await t.call("POST", "/v1/keys", { name: "x", scope: "admin" }, bearer(judge))).status).toBe(403);
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(judge))).status).toBe(200);
  });

  it("revokes a key: it gets 401 from then on, and revoking again is 404", async () => {
    const created = await t.call("POST", "/v1/keys", { name: "temp", scope: "judge" }, bearer(ADMIN));
    const secret = created.json.secret;
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(secret))).status).toBe(200);

    const revoked = await t.call("DELETE", `/v1/keys/${created.json.id}`, undefined, bearer(ADMIN));
    expect(revoked.status).toBe(200);
    expect(revoked.json.revoked_at).not.toBeNull();
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(secret))).status).toBe(401);

    expect((await t.call("DELETE", `/v1/keys/${created.json.id}`, undefined, bearer(ADMIN))).status).toBe(404);
    expect((await t.call("DELETE", "/v1/keys/00000000-0000-4000-8000-000000000000", undefined, bearer(ADMIN))).status).toBe(404);
    expect((await t.call("DELETE", "/v1/keys/nope", undefined, bearer(ADMIN))).status).toBe(422);
  });

  it("422s a bad scope or name", async () => {
    for (const body of [{ name: "x", scope: "root" }, { name: "  ", scope: "judge" }, { scope: "judge" }]) {
      expect((await t.call("POST", "/v1/keys", body, bearer(ADMIN))).status, JSON.stringify(body)).toBe(422);
    }
  });
});
