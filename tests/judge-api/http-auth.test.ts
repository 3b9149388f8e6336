import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "./fixtures";

const ADMIN = "admin-secret-for-tests-0123456789";
let fake: FakeLlm;
let t: TestApp;
let server: ServerType;
let base: string;
let judgeKey: string;

async function http(method: string, path: string, key: string | null, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url, env: { SELFJUDGE_ADMIN_KEY: ADMIN } });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once("listening", () => resolve())));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const created = await http("POST", "/v1/keys", ADMIN, { name: "ci", scope: "judge" });
  expect(created.status).toBe(201);
  judgeKey = created.json.secret;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.close();
  await fake?.close();
});

describe("judge API over real HTTP with a judge-scoped key", () => {
  it("judges, batches and reads judgments", async () => {
    const judged = await http("POST", "/v1/judge", judgeKey, pair("b"));
    expect(judged.status).toBe(200);
    expect(judged.headers.get("content-type")).toContain("application/json");
    expect(judged.headers.get("x-request-id")).toBeTruthy();
    expect(judged.json).toMatchObject({ verdict: "B", position_consistent: true, cached: false });

    const batch = await http("POST", "/v1/judge/batch", judgeKey, { items: [pair("a"), pair("b")] });
    expect(batch.status).toBe(200);
    expect(batch.json.results.map((r: { judgment: { verdict: string } }) => r.judgment.verdict)).toEqual(["A", "B"]);

    const one = await http("GET", `/v1/judgments/${judged.json.id}`, judgeKey);
    expect(one.status).toBe(200);
    expect(one.json.raw_outputs).toHaveLength(2);

    const list = await http("GET", "/v1/judgments?limit=10", judgeKey);
    expect(list.status).toBe(200);
    expect(list.json.data).toHaveLength(3);
  });

  it("is refused everything else with 403", async () => {
    for (const [method, path, body] of [
      ["POST", "/v1/keys", { name: "escalate", scope: "admin" }],
      ["GET", "/v1/keys", undefined],
      ["GET", "/v1/evaluators", undefined],
      ["POST", "/v1/evaluators", { name: "mine" }],
    ] as const) {
      const res = await http(method, path, judgeKey, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("401s without a key or with a wrong one, and never judges", async () => {
    const calls = fake.chatRequests().length;
    for (const key of [null, "sj_not-a-real-key"]) {
      const res = await http("POST", "/v1/judge", key, pair("a"));
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(fake.chatRequests().length).toBe(calls);
  });
});
