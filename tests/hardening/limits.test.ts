import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "../judge-api/fixtures";

const ADMIN = "admin-secret-for-tests-0123456789";
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
let fake: FakeLlm;
let t: TestApp; // RATE_LIMIT_RPM=5
let t2: TestApp; // a second instance on the same database

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  const env = { SELFJUDGE_ADMIN_KEY: ADMIN, RATE_LIMIT_RPM: "5", JUDGE_BATCH_MAX_SAMPLES: "10" };
  t = await createTestApp({ llmUrl: fake.url, env, metrics: true });
  t2 = await createTestApp({ llmUrl: fake.url, env, database: t.database });
});
afterAll(async () => {
  await t2?.close();
  await t?.close();
  await fake?.close();
});

async function newKey(body: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call("POST", "/v1/keys", { name: "k", scope: "judge", ...body }, bearer(ADMIN));
  expect(res.status, res.text).toBe(201);
  return res.json.secret;
}

describe("requests per minute (RATE_LIMIT_RPM and per key)", () => {
  it("answers 429 problem+json with Retry-After and RateLimit-* headers once over, per key", async () => {
    const key = await newKey();
    for (let i = 0; i < 5; i++) {
      const res = await t.call("GET", "/v1/judgments", undefined, bearer(key));
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("5");
      expect(res.headers.get("ratelimit-remaining")).toBe(String(4 - i));
    }
    const refused = await t.call("POST", "/v1/judge", pair("a"), bearer(key));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(refused.headers.get("ratelimit-reset"))).toBeLessThanOrEqual(60);
    // Another key has its own budget; the operator's admin key is never limited.
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(await newKey()))).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await t.call("GET", "/v1/judgments", undefined, bearer(ADMIN))).status).toBe(200);
    const metrics = (await t.call("GET", "/metrics", undefined, bearer(ADMIN))).text;
    expect(metrics).toMatch(/selfjudge_rate_limited_total\{kind="rpm"\} [1-9]/);
  });

  it("is shared by every instance on the same database", async () => {
    const key = await newKey();
    for (let i = 0; i < 3; i++) expect((await t.call("GET", "/v1/judgments", undefined, bearer(key))).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await t2.call("GET", "/v1/judgments", undefined, bearer(key))).status).toBe(200);
    expect((await t2.call("GET", "/v1/judgments", undefined, bearer(key))).status).toBe(429);
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(key))).status).toBe(429);
  });

  it("a key's own rate_limit_rpm overrides the global one; 0 means unlimited", async () => {
    const tight = await newKey({ rate_limit_rpm: 2 });
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(tight))).status).toBe(200);
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(tight))).status).toBe(200);
    expect((await t.call("GET", "/v1/judgments", undefined, bearer(tight))).status).toBe(429);
    const free = await newKey({ rate_limit_rpm: 0 });
    for (let i = 0; i < 8; i++) {
      const res = await t.call("GET", "/v1/judgments", undefined, bearer(free));
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBeNull();
    }
  });
});

describe("without authentication, per client address", () => {
  it("limits each address separately", async () => {
    const open = await createTestApp({ llmUrl: fake.url, env: { RATE_LIMIT_RPM: "2" } });
    try {
      const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
      const get = (ip: string) => open.app.request("/v1/judgments", {}, from(ip));
      expect((await get("10.0.0.1")).status).toBe(200);
      expect((await get("10.0.0.1")).status).toBe(200);
      expect((await get("10.0.0.1")).status).toBe(429);
      expect((await get("10.0.0.2")).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("daily token budgets (TOKEN_BUDGET_PER_DAY and per key)", () => {
  it("refuses an LLM call once the day's tokens are used, before calling; cached judgments stay free", async () => {
    const key = await newKey({ token_budget_per_day: 1, rate_limit_rpm: 0 });
    const first = pair("a");
    const ok = await t.call("POST", "/v1/judge", first, bearer(key));
    expect(ok.status).toBe(200);
    expect(ok.json.usage.prompt_tokens + ok.json.usage.completion_tokens).toBeGreaterThan(1);

    const before = chatCount(fake);
    const refused = await t.call("POST", "/v1/judge", pair("b"), bearer(key));
    expect(refused.status).toBe(429);
    expect(refused.json.detail).toContain("token budget");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(chatCount(fake)).toBe(before);

    // The same request again is served from its stored judgment: no tokens, no refusal.
    const cached = await t.call("POST", "/v1/judge", first, bearer(key));
    expect(cached.status).toBe(200);
    expect(cached.json.cached).toBe(true);

    // In a batch, items that need the LLM are refused one by one; the batch itself is 200.
    const batch = await t.call("POST", "/v1/judge/batch", { items: [first, pair("a")] }, bearer(key));
    expect(batch.status).toBe(200);
    expect(batch.json.results[0].ok).toBe(true);
    expect(batch.json.results[1]).toMatchObject({ ok: false, error: { status: 429 } });
    expect(chatCount(fake)).toBe(before);
    const metrics = (await t.call("GET", "/metrics", undefined, bearer(ADMIN))).text;
    expect(metrics).toMatch(/selfjudge_rate_limited_total\{kind="tokens"\} [1-9]/);
  });
});

describe("JUDGE_BATCH_MAX_SAMPLES caps items × samples × orders", () => {
  it("refuses a batch over the cap with a 422 before any LLM call", async () => {
    const before = chatCount(fake);
    const over = await t.call("POST", "/v1/judge/batch", { items: Array.from({ length: 6 }, () => pair("a")) }, bearer(ADMIN));
    expect(over.status).toBe(422);
    expect(over.json.detail).toContain("JUDGE_BATCH_MAX_SAMPLES");
    const samples = await t.call("POST", "/v1/judge/batch", { items: [pair("a", { samples: 3 }), pair("a", { samples: 3 })] }, bearer(ADMIN));
    expect(samples.status).toBe(422);
    expect(chatCount(fake)).toBe(before);
    const within = await t.call("POST", "/v1/judge/batch", { items: Array.from({ length: 5 }, () => pair("a")) }, bearer(ADMIN));
    expect(within.status).toBe(200);
  });
});

describe("Idempotency-Key", () => {
  it("replays the first response of the same key and body, and judges once", async () => {
    const body = pair("a", { cache: false });
    const headers = { ...bearer(ADMIN), "idempotency-key": "judge-1" };
    const before = chatCount(fake);
    const first = await t.call("POST", "/v1/judge", body, headers);
    const again = await t2.call("POST", "/v1/judge", body, headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(chatCount(fake) - before).toBe(2);
  });

  it("the same key with another body is a 422; the same key on another route is independent", async () => {
    const headers = { ...bearer(ADMIN), "idempotency-key": "judge-2" };
    expect((await t.call("POST", "/v1/judge", pair("a"), headers)).status).toBe(200);
    const other = await t.call("POST", "/v1/judge", pair("b"), headers);
    expect(other.status).toBe(422);
    expect(other.json.detail).toContain("Idempotency-Key");
    expect((await t.call("POST", "/v1/traffic", { items: [{ instruction: "idem" }] }, headers)).status).toBe(200);
  });

  it("creates one key for a retried POST /v1/keys, and never stores or replays its secret", async () => {
    const headers = { ...bearer(ADMIN), "idempotency-key": "key-create-1" };
    const first = await t.call("POST", "/v1/keys", { name: "retried", scope: "judge" }, headers);
    const again = await t.call("POST", "/v1/keys", { name: "retried", scope: "judge" }, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.secret).not.toBe(first.json.secret);
    const list = await t.call("GET", "/v1/keys", undefined, bearer(ADMIN));
    expect(list.json.data.filter((k: any) => k.name === "retried")).toHaveLength(1);
    const { rawRows } = await import("../../src/db/client");
    const { sql } = await import("drizzle-orm");
    const stored = await rawRows<{ body: string }>(t.database.db, sql`select body from idempotency_keys`);
    expect(JSON.stringify(stored)).not.toContain(first.json.secret);
  });

  it("a key still in flight is a 409 with Retry-After; a failed request can be retried", async () => {
    fake.setOptions({ latencyMs: 400 });
    const headers = { ...bearer(ADMIN), "idempotency-key": "slow-1" };
    const body = pair("a", { cache: false });
    const slow = t.call("POST", "/v1/judge", body, headers);
    await new Promise((r) => setTimeout(r, 100));
    const busy = await t.call("POST", "/v1/judge", body, headers);
    fake.setOptions({ latencyMs: 0 });
    expect(busy.status).toBe(409);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect((await slow).status).toBe(200);

    const bad = { ...bearer(ADMIN), "idempotency-key": "bad key with spaces" };
    expect((await t.call("POST", "/v1/judge", pair("a"), bad)).status).toBe(422);
  });
});
