import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, SelfjudgeConnectionError, SelfjudgeError, unwrap, type JudgeResult } from "../../src/client";
import { parseRetryAfter } from "../../src/client/errors";
import { oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { serveTestApp } from "../cli/helpers";

const ADMIN_KEY = "test-admin-key-0123456789";
let fake: FakeLlm;
let server: Awaited<ReturnType<typeof serveTestApp>>;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  server = await serveTestApp({ llmUrl: fake.url, env: { SELFJUDGE_ADMIN_KEY: ADMIN_KEY } });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const pair = (n: number) => ({
  instruction: `Client question ${n}: capital of France?`,
  response_a: "Lyon.",
  response_b: "GOOD: Paris.",
});

describe("createClient against the real server", () => {
  it("judges with baseUrl and apiKey taken from SELFJUDGE_URL / SELFJUDGE_API_KEY", async () => {
    const client = createClient({ env: { SELFJUDGE_URL: `${server.url}/`, SELFJUDGE_API_KEY: ADMIN_KEY } });
    const result: JudgeResult = await client.judge(pair(1));
    expect(result).toMatchObject({ verdict: "B", position_consistent: true, evaluator: { name: "default" } });
    const batch = await client.judgeBatch({ items: [pair(2), { ...pair(3), response_b: " " }] });
    expect(batch.results[0]).toMatchObject({ ok: true, judgment: { verdict: "B" } });
    expect(batch.results[1]).toMatchObject({ ok: false, error: { status: 422 } });
    // Any route through the typed api + unwrap.
    const versions = await unwrap(client.api.v1.versions.$get({ query: {} }));
    expect(versions.data.map((v) => v.name)).toEqual(["v1"]);
  });

  it("turns problem+json answers into SelfjudgeError with status, title and detail", async () => {
    const noKey = createClient({ baseUrl: server.url, env: {} });
    const unauth = await noKey.judge(pair(4)).catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(SelfjudgeError);
    expect(unauth).toMatchObject({ status: 401, title: "Unauthorized" });

    const client = createClient({ baseUrl: server.url, apiKey: ADMIN_KEY });
    const bad = await client.judge({ ...pair(5), response_a: "   " }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SelfjudgeError);
    const err = bad as SelfjudgeError;
    expect(err.status).toBe(422);
    expect(err.title).toBe("Validation failed");
    expect(err.detail).toContain("response_a");
    expect(err.type).toBe("https://selfjudge.dev/problems/validation_failed");
    expect(err.body.errors).toEqual([expect.objectContaining({ path: "response_a" })]);

    const missing = await unwrap(client.api.v1.versions[":id"].$get({ param: { id: "v42" }, query: {} })).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, title: "Not found" });
  });

  it("fails with SelfjudgeConnectionError when nothing listens", async () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:9", maxConnectRetries: 1, baseDelayMs: 1 });
    await expect(client.health()).rejects.toBeInstanceOf(SelfjudgeConnectionError);
  });
});

describe("retries", () => {
  let stub: Server;
  let url: string;
  let replies: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>;
  let seen: IncomingMessage[];

  beforeAll(async () => {
    stub = createServer((req, res) => {
      seen.push(req);
      const r = replies.shift() ?? { status: 500 };
      res.writeHead(r.status, { "content-type": r.status < 300 ? "application/json" : "application/problem+json", ...r.headers });
      res.end(JSON.stringify(r.body ?? { title: "Too many requests", status: r.status, detail: "slow down" }));
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  it("retries 429 and 503 waiting as long as Retry-After says, then returns the answer", async () => {
    seen = [];
    replies = [
      { status: 429, headers: { "retry-after": "2" } },
      { status: 503, headers: { "retry-after": "1" } },
      { status: 200, body: { status: "ok" } },
    ];
    const waits: number[] = [];
    const client = createClient({ baseUrl: url, apiKey: "k", sleep: async (ms) => void waits.push(ms) });
    expect(await client.health()).toEqual({ status: "ok" });
    expect(waits).toEqual([2000, 1000]);
    expect(seen).toHaveLength(3);
    expect(seen.every((r) => r.headers.authorization === "Bearer k")).toBe(true);
  });

  it("gives up after maxRetries with the last problem, and does not retry other errors", async () => {
    seen = [];
    replies = Array.from({ length: 5 }, () => ({ status: 429 }));
    const waits: number[] = [];
    const client = createClient({ baseUrl: url, maxRetries: 2, baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) });
    const err = await client.health().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, title: "Too many requests", detail: "slow down" });
    expect(seen).toHaveLength(3);
    // No Retry-After: exponential back-off around 100, 200 ms.
    expect(waits[0]).toBeGreaterThanOrEqual(75);
    expect(waits[1]).toBeGreaterThanOrEqual(150);

    seen = [];
    replies = [{ status: 502, body: { title: "LLM provider error", status: 502, detail: "upstream said no" } }];
    const bad = await client.health().catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 502, detail: "upstream said no" });
    expect(seen).toHaveLength(1);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

// Compile-time contract (checked by `npm run typecheck`, never run): the client's types are the
// server's route schemas, so a wrong body, a missing field or an unknown route does not compile.
export function typeContract(client: ReturnType<typeof createClient>) {
  // @ts-expect-error a turn's role is user, assistant or system (response_b is required only with
  // instruction or conversation, which the schema checks at run time)
  void client.judge({ conversation: [{ role: "robot", content: "q" }], response_a: "a", response_b: "b" });
  // @ts-expect-error samples is a number
  void client.judge({ instruction: "q", response_a: "a", response_b: "b", samples: "3" });
  // @ts-expect-error no such route
  void client.api.v1.nonexistent;
  return unwrap(client.api.v1.training.runs.$get({ query: {} })).then((b) => b.data);
}
