import { connect } from "node:net";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HANG, startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";
import { oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "../judge-api/fixtures";

let fake: FakeLlm;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
});
afterAll(async () => {
  await fake?.close();
});

/** Every third chat request is answered 429 (with a short retry-after-ms), the rest by the oracle. */
function everyThirdRateLimited(): Behavior {
  return (req, ctx) =>
    ctx.requestIndex % 3 === 2
      ? { status: 429, headers: { "retry-after-ms": "20" }, body: { error: { message: "Rate limit reached", type: "requests" } } }
      : oracleJudge(req, ctx);
}

describe("a provider answering 429 to a third of requests", () => {
  it("1,000 judgments with default retry settings all succeed", async () => {
    // The defaults of LLM_TIMEOUT_MS, LLM_MAX_RETRIES, LLM_RATE_LIMIT_RETRIES and LLM_CONCURRENCY.
    const t = await createTestApp({ llmUrl: fake.url, env: { LLM_TIMEOUT_MS: "60000", LLM_MAX_RETRIES: "3", LLM_RATE_LIMIT_RETRIES: "8" } });
    fake.setBehavior(everyThirdRateLimited());
    try {
      const batches = await Promise.all(
        Array.from({ length: 10 }, () => t.call("POST", "/v1/judge/batch", { items: Array.from({ length: 100 }, () => pair("a")) })),
      );
      const results = batches.flatMap((b) => {
        expect(b.status).toBe(200);
        return b.json.results as Array<{ ok: boolean; error?: unknown }>;
      });
      expect(results).toHaveLength(1000);
      expect(results.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
      const limited = fake.chatRequests().length;
      expect(limited).toBeGreaterThan(2000); // the 429s were really there, and were retried
    } finally {
      fake.setBehavior(oracleJudge);
      await t.close();
    }
  }, 300_000);
});

describe("JUDGE_DEADLINE_MS", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ llmUrl: fake.url, env: { JUDGE_DEADLINE_MS: "1000", LLM_TIMEOUT_MS: "60000", LLM_MAX_RETRIES: "3" } });
  });
  afterAll(async () => {
    fake.setBehavior(oracleJudge);
    await t?.close();
  });

  it("a hanging provider gets 504 at the deadline, and the judgment is stored as timeout", async () => {
    fake.setBehavior(() => HANG);
    const started = Date.now();
    const res = await t.call("POST", "/v1/judge", pair("a"));
    const took = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(took).toBeLessThan(10_000);
    const stored = await t.call("GET", `/v1/judgments/${res.json.judgment_id}`);
    expect(stored.json.status).toBe("timeout");
    expect(stored.json.verdict).toBeNull();
    const listed = await t.call("GET", "/v1/judgments?status=timeout");
    expect(listed.json.data.map((j: { id: string }) => j.id)).toContain(res.json.judgment_id);
  });
});

describe("413", () => {
  it("closes the connection instead of reading the unread body as the next request", async () => {
    const t = await createTestApp({ llmUrl: fake.url, env: { BODY_LIMIT_BYTES: "2048" } });
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((r) => server.once("listening", () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const socket = connect(port, "127.0.0.1");
      let received = "";
      socket.on("data", (d) => (received += d.toString()));
      const closed = new Promise<void>((r) => socket.on("close", () => r()));
      const body = JSON.stringify({ instruction: "x".repeat(5000), response_a: "a", response_b: "b" });
      socket.write(
        `POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
      );
      socket.write(body.slice(0, 100));
      await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error(`not closed: ${received}`)), 10_000))]);
      expect(received).toMatch(/^HTTP\/1\.1 413/);
      expect(received.toLowerCase()).toContain("connection: close");
      expect(received).toContain("application/problem+json");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await t.close();
    }
  });
});
