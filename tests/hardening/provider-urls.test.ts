import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { failWith, oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "../judge-api/fixtures";

let main: FakeLlm; // OPENAI_BASE_URL
let other: FakeLlm; // a version's own base_url, inside the allowlist
let outside: FakeLlm; // not in the allowlist
let t: TestApp;

const authOf = (fake: FakeLlm) => fake.calls.filter((c) => c.path.endsWith("/chat/completions")).map((c) => c.headers.authorization);

beforeAll(async () => {
  [main, other, outside] = await Promise.all([
    startFakeLlm({ behavior: oracleJudge }),
    startFakeLlm({ behavior: oracleJudge }),
    startFakeLlm({ behavior: oracleJudge }),
  ]);
  t = await createTestApp({
    llmUrl: main.url,
    env: {
      OPENAI_API_KEY: "sk-global-secret",
      LLM_BASE_URL_ALLOWLIST: `${main.url},${other.url}`,
      SELFJUDGE_KEY_OTHER: "sk-other",
      LLM_MAX_RETRIES: "0",
    },
  });
});
afterAll(async () => {
  await t?.close();
  await Promise.all([main?.close(), other?.close(), outside?.close()]);
});

describe("base_url rules", () => {
  it.each([
    ["file:///etc/passwd", "only http and https"],
    ["javascript:alert(1)", "only http and https"],
    ["ftp://example.com/v1", "only http and https"],
    ["http://user:pw@127.0.0.1:1/v1", "credentials"],
  ])("refuses %s with a 422 naming base_url", async (base_url, why) => {
    for (const [path, body] of [
      ["/v1/evaluators", { name: `e${Math.random().toString(36).slice(2, 8)}`, base_url }],
      ["/v1/versions", { model: "m", base_url }],
    ] as const) {
      const res = await t.call("POST", path, body);
      expect(res.status, res.text).toBe(422);
      expect(res.json.errors[0].path).toBe("base_url");
      expect(res.json.detail).toContain(why);
    }
  });

  it("refuses a URL outside LLM_BASE_URL_ALLOWLIST", async () => {
    const res = await t.call("POST", "/v1/evaluators", { name: "outsider", base_url: outside.url });
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain("LLM_BASE_URL_ALLOWLIST");
  });

  it("refuses an api_key_env that is not set on the instance (and never reads other variables)", async () => {
    for (const api_key_env of ["MISSING", "PATH", "SELFJUDGE_ADMIN_KEY", "lower-case"]) {
      const res = await t.call("POST", "/v1/versions", { model: "m", base_url: other.url, api_key_env });
      expect(res.status, api_key_env).toBe(422);
      expect(res.json.errors[0].path).toBe("api_key_env");
    }
  });
});

describe("a version with its own base_url never receives the global key", () => {
  it("sends no key when it names none, and its own key when it names one", async () => {
    const keyless = await t.call("POST", "/v1/evaluators", { name: "keyless", base_url: other.url });
    expect(keyless.status, keyless.text).toBe(201);
    expect((await t.call("POST", "/v1/judge", pair("a", { evaluator: "keyless" }))).status).toBe(200);
    const keyed = await t.call("POST", "/v1/evaluators", { name: "keyed", base_url: other.url, api_key_env: "OTHER" });
    expect(keyed.status, keyed.text).toBe(201);
    expect((await t.call("POST", "/v1/judge", pair("a", { evaluator: "keyed" }))).status).toBe(200);

    const seen = authOf(other);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.some((h) => String(h).includes("sk-global-secret"))).toBe(false);
    expect(seen).toContain("Bearer sk-other");
    const versions = await t.call("GET", "/v1/versions?evaluator=keyed");
    expect(versions.json.data[0].api_key_env).toBe("SELFJUDGE_KEY_OTHER");
    expect(versions.text).not.toContain("sk-other");
  });

  it("the default provider still gets the global key", async () => {
    expect((await t.call("POST", "/v1/judge", pair("a"))).status).toBe(200);
    expect(authOf(main).at(-1)).toBe("Bearer sk-global-secret");
  });
});

describe("provider error text is logged, not returned", () => {
  it("a provider's 500 body reaches neither the client nor the stored judgment", async () => {
    other.setBehavior(failWith(500, "internal: db password SECRET-123 at 10.0.0.7"));
    const res = await t.call("POST", "/v1/judge", pair("a", { evaluator: "keyless" }));
    other.setBehavior(oracleJudge);
    expect(res.status).toBe(502);
    expect(res.text).not.toContain("SECRET");
    expect(res.json.detail).toContain("HTTP 500");
    expect(res.json.request_id).toBeTruthy();
    const stored = await t.call("GET", `/v1/judgments/${res.json.judgment_id}`);
    expect(stored.json.status).toBe("failed");
    expect(stored.text).not.toContain("SECRET");
  });
});
