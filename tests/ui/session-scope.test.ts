import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";

// The console over plain HTTP (no browser): sign-in cookies, and a key bound to some evaluators
// sees only their judgments, as in the API.

const ADMIN_KEY = "session-test-admin-key-0123456789";
const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { SELFJUDGE_ADMIN_KEY: ADMIN_KEY } });
});
afterAll(async () => {
  await t?.close();
});

/** Signs in through the form as a browser would; returns the Cookie header to send from then on. */
async function signIn(key: string): Promise<string> {
  const login = await t.app.request("http://127.0.0.1/ui/login");
  const csrf = /sj_csrf=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")![1]!;
  const token = decodeURIComponent(csrf).split(".")[0]!;
  const res = await t.app.request("http://127.0.0.1/ui/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1", cookie: `sj_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: token, key, next: "/ui/judgments" }),
  });
  expect(res.status).toBe(303);
  const set = res.headers.getSetCookie();
  const session = set.find((c) => c.startsWith("sj_session="))!;
  expect(session).toMatch(/HttpOnly/);
  expect(session).toMatch(/SameSite=Strict/);
  expect(session).not.toMatch(/Secure/); // loopback
  const fresh = set.find((c) => c.startsWith("sj_csrf="))!;
  return [session.split(";")[0], fresh.split(";")[0]].join("; ");
}

describe("console sessions", () => {
  it("sends a signed-out browser to the sign-in page and refuses a wrong key", async () => {
    const res = await t.app.request("http://127.0.0.1/ui/judgments");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/ui/login?next=%2Fui%2Fjudgments");
    await expect(signIn("not-a-key-at-all-0000")).rejects.toThrow();
  });

  it("shows a key bound to one evaluator only that evaluator's judgments", async () => {
    expect((await t.call("POST", "/v1/evaluators", { name: "team-a" }, ADMIN)).status).toBe(201);
    const key = await t.call("POST", "/v1/keys", { name: "a-only", scope: "judge", evaluators: ["team-a"] }, ADMIN);
    expect(key.status, key.text).toBe(201);
    const cookie = await signIn(key.json.secret);

    const own = await t.app.request("http://127.0.0.1/ui/judgments", { headers: { cookie } });
    expect(own.status).toBe(200);
    const html = await own.text();
    expect(html).toContain('<option value="team-a" selected="">');
    expect(html).not.toContain('value="default"');
    const other = await t.app.request("http://127.0.0.1/ui/judgments?evaluator=default", { headers: { cookie } });
    expect(other.status).toBe(404);
    const admin = await t.app.request("http://127.0.0.1/", { headers: { cookie } });
    expect(admin.status).toBe(303);
    expect(admin.headers.get("location")).toBe("/ui/judgments");
  });
});
