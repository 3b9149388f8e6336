import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { ON_POSTGRES } from "../helpers/test-db";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: "2048" } });
});
afterAll(async () => {
  await t?.close();
});

describe("GET /healthz", () => {
  it("checks the database and names it", async () => {
    const res = await t.call("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "ok", database: ON_POSTGRES ? "postgres" : "pglite" });
    expect(Number.isNaN(Date.parse(res.json.time))).toBe(false);
  });
});

describe("request ids", () => {
  it("puts an X-Request-Id on every response, problems included, and echoes the caller's", async () => {
    const ok = await t.call("GET", "/healthz");
    expect(ok.headers.get("x-request-id")).toMatch(/.+/);
    const missing = await t.call("GET", "/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    expect(missing.json.request_id).toBe(missing.headers.get("x-request-id"));
    const mine = await t.call("GET", "/healthz", undefined, { "x-request-id": "trace-abc-123" });
    expect(mine.headers.get("x-request-id")).toBe("trace-abc-123");
  });
});

describe("body size limit", () => {
  it("answers 413 problem+json for a body over BODY_LIMIT_BYTES, with or without Content-Length", async () => {
    const body = JSON.stringify({ name: "big", description: "x".repeat(3000) });
    for (const headers of [{ "content-type": "application/json" }, { "content-type": "application/json", "content-length": String(body.length) }]) {
      const res = await t.app.request("/v1/evaluators", { method: "POST", headers, body });
      expect(res.status).toBe(413);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as { status: number }).status).toBe(413);
    }
    expect((await t.call("GET", "/v1/evaluators")).json.data.map((e: { name: string }) => e.name)).not.toContain("big");
  });
});

describe("evaluators", () => {
  it("has `default` from the first start, with an active v1", async () => {
    const res = await t.call("GET", "/v1/evaluators");
    expect(res.status).toBe(200);
    const def = res.json.data.find((e: { name: string }) => e.name === "default");
    expect(def).toMatchObject({ seed_model: "fake-judge", active_version: { name: "v1", model: "fake-judge" } });
  });

  it("creates an evaluator with its own active v1, lists it, and refuses a duplicate", async () => {
    const created = await t.call("POST", "/v1/evaluators", {
      name: "sql-answers",
      description: "Judges our SQL assistant",
      criteria: "correctness of the SQL and whether it answers the question",
      seed_model: "judge-large",
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: "sql-answers",
      description: "Judges our SQL assistant",
      criteria: "correctness of the SQL and whether it answers the question",
      seed_model: "judge-large",
      active_version: { name: "v1", model: "judge-large" },
    });
    const list = await t.call("GET", "/v1/evaluators");
    expect(list.json.data.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(["default", "sql-answers"]));

    const dup = await t.call("POST", "/v1/evaluators", { name: "sql-answers" });
    expect(dup.status).toBe(409);
    expect(dup.headers.get("content-type")).toContain("application/problem+json");
  });

  it("defaults the seed model to JUDGE_MODEL", async () => {
    const res = await t.call("POST", "/v1/evaluators", { name: "minimal" });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ seed_model: "fake-judge", active_version: { model: "fake-judge" } });
  });

  it("422s bad input and creates nothing", async () => {
    for (const body of [{}, { name: "Has Spaces" }, { name: "" }, { name: "x".repeat(64) }, { name: "ok-name", criteria: "   " }, { name: "ok-name", base_url: "not a url" }, { name: 5 }]) {
      const res = await t.call("POST", "/v1/evaluators", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const names = (await t.call("GET", "/v1/evaluators")).json.data.map((e: { name: string }) => e.name);
    expect(names).not.toContain("ok-name");
  });
});

describe("GET /openapi.json", () => {
  it("documents the judge routes and their problem responses", async () => {
    const res = await t.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    const paths = res.json.paths;
    for (const p of ["/v1/judge", "/v1/judge/batch", "/v1/judgments", "/v1/judgments/{id}"]) expect(paths[p], p).toBeDefined();
    expect(Object.keys(paths["/v1/judge"].post.responses)).toEqual(expect.arrayContaining(["200", "404", "422", "502", "503"]));
    expect(paths["/v1/judge"].post.responses["502"].content["application/problem+json"]).toBeDefined();
    expect(paths["/v1/judge/batch"].post.requestBody.content["application/json"].schema).toBeDefined();
    expect(res.json.components.schemas.JudgeRequest).toBeDefined();
  });
});
