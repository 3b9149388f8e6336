import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { ON_POSTGRES } from "../helpers/test-db";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close().catch(() => {});
});

describe(`a lost database connection (${ON_POSTGRES ? "PostgreSQL" : "PGlite"})`, () => {
  it("is a retryable 503 problem+json with Retry-After, never a 500", async () => {
    expect((await t.call("GET", "/v1/judgments")).status).toBe(200);
    await t.database.close();
    for (const [method, path, body] of [
      ["GET", "/v1/judgments", undefined],
      ["GET", "/v1/evaluators", undefined],
      ["POST", "/v1/judge", { instruction: "q", response_a: "a", response_b: "b" }],
    ] as const) {
      const res = await t.call(method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(503);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(res.json.detail).not.toMatch(/select|insert|params/i);
    }
  });
});
