import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { failWith, oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "../judge-api/fixtures";
import { freePort, killAll, startServer, type ServerProcess } from "../server/spawn-server";
import { ON_POSTGRES, createScratchPostgres } from "../helpers/test-db";

const ADMIN = "admin-secret-for-tests-0123456789";
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url, env: { SELFJUDGE_ADMIN_KEY: ADMIN, LLM_MAX_RETRIES: "0" }, metrics: true });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

/** The value of one sample line `name{labels} value`, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.lastIndexOf("}"));
    if (Object.entries(labels).every(([k, v]) => inner.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

describe("GET /metrics", () => {
  it("is admin-only on the main port", async () => {
    expect((await t.call("GET", "/metrics")).status).toBe(401);
    const judge = await t.call("POST", "/v1/keys", { name: "j", scope: "judge" }, bearer(ADMIN));
    expect((await t.call("GET", "/metrics", undefined, bearer(judge.json.secret))).status).toBe(403);
    const res = await t.call("GET", "/metrics", undefined, bearer(ADMIN));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
  });

  it("counts HTTP requests by route pattern, LLM requests and tokens by model, judgments, cache hits", async () => {
    const body = pair("a");
    expect((await t.call("POST", "/v1/judge", body, bearer(ADMIN))).status).toBe(200);
    const cached = await t.call("POST", "/v1/judge", body, bearer(ADMIN));
    expect(cached.json.cached).toBe(true);
    const id = cached.json.id as string;
    expect((await t.call("GET", `/v1/judgments/${id}`, undefined, bearer(ADMIN))).status).toBe(200);
    fake.setBehavior(failWith(500, "provider SECRET detail"));
    expect((await t.call("POST", "/v1/judge", pair("a"), bearer(ADMIN))).status).toBe(502);
    fake.setBehavior(oracleJudge);

    const text = (await t.call("GET", "/metrics", undefined, bearer(ADMIN))).text;
    expect(sample(text, "selfjudge_http_requests_total", { method: "POST", route: "/v1/judge", status: "200" })).toBe(2);
    expect(sample(text, "selfjudge_http_requests_total", { route: "/v1/judgments/:id", status: "200" })).toBe(1);
    // The raw path (with the id) never becomes a label.
    expect(text).not.toContain(id);
    expect(sample(text, "selfjudge_http_request_duration_seconds_count", { route: "/v1/judge", status: "200" })).toBe(2);
    expect(sample(text, "selfjudge_llm_requests_total", { model: "fake-judge", outcome: "ok" })).toBe(2);
    expect(sample(text, "selfjudge_llm_requests_total", { model: "fake-judge", outcome: "upstream" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "selfjudge_llm_tokens_total", { model: "fake-judge", kind: "prompt" })).toBeGreaterThan(0);
    expect(sample(text, "selfjudge_judgments_total", { evaluator: "default", status: "ok", verdict: "A" })).toBe(2);
    expect(sample(text, "selfjudge_judgments_total", { evaluator: "default", status: "failed", verdict: "none" })).toBe(1);
    expect(sample(text, "selfjudge_judge_cache_hits_total", { evaluator: "default" })).toBe(1);
    expect(text).toContain("selfjudge_process_resident_memory_bytes");
    // No user text, key or provider error body in the exposition.
    expect(text).not.toContain("SECRET");
    expect(text).not.toContain("capital of France");
  });
});

describe("METRICS_PORT", () => {
  const running: ServerProcess[] = [];
  afterAll(async () => {
    await killAll(running);
  });

  it("serves /metrics without auth on its own port, and only /metrics", async () => {
    const metricsPort = await freePort();
    const dir = await mkdtemp(join(tmpdir(), "selfjudge-metrics-"));
    const store = ON_POSTGRES ? await createScratchPostgres(process.env.DATABASE_URL, "sj_metrics") : undefined;
    const s = await startServer({
      SELFJUDGE_ADMIN_KEY: ADMIN,
      METRICS_PORT: String(metricsPort),
      JOBS_ENABLED: "false",
      ...(store ? { DATABASE_URL: store.url } : { DATA_DIR: join(dir, "pglite") }),
    });
    running.push(s);
    try {
      await s.ready(90_000);
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("selfjudge_http_requests_total");
      expect((await fetch(`http://127.0.0.1:${metricsPort}/v1/evaluators`)).status).toBe(404);
      expect((await s.fetchJson("/metrics")).status).toBe(401);
    } finally {
      await killAll(running);
      await store?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
