import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app";

// The published contract: /openapi.json must be a valid OpenAPI 3.1 document that describes
// every route the app serves, including the problem+json errors each one can answer with.

const UNDOCUMENTED_BY_DESIGN = new Set(["GET /openapi.json", "GET /docs", "GET /metrics"]);
// Mirrors src/middleware/scope-policy.ts: the only /v1 operations a judge-scoped key may call.
const JUDGE_SCOPE_OPS = new Set([
  "POST /v1/judge",
  "POST /v1/judge/batch",
  "GET /v1/judgments",
  "GET /v1/judgments/{id}",
]);
const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"] as const;

type Operation = {
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

let t: TestApp;
let doc: any;

beforeAll(async () => {
  t = await createTestApp();
  const res = await t.call("GET", "/openapi.json");
  expect(res.status).toBe(200);
  doc = res.json;
});
afterAll(async () => {
  await t?.close();
});

function documentedOperations(): Array<{ key: string; op: Operation }> {
  const out: Array<{ key: string; op: Operation }> = [];
  for (const [path, item] of Object.entries<Record<string, Operation>>(doc.paths ?? {})) {
    for (const m of METHODS) if (item[m]) out.push({ key: `${m.toUpperCase()} ${path}`, op: item[m] });
  }
  return out;
}

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document whose references all resolve", async () => {
    expect(String(doc.openapi)).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // Dereferencing throws on a $ref that points nowhere.
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it("documents every route the app serves, and serves every route it documents", () => {
    const served = new Set(
      t.app.routes
        .filter((r) => r.method !== "ALL" && !r.path.includes("*"))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`)
        .filter((k) => !UNDOCUMENTED_BY_DESIGN.has(k))
        // The web console's HTML pages and forms (`/`, `/ui/*`) are not API operations.
        .filter((k) => !/^[A-Z]+ \/(ui\/.*)?$/.test(k)),
    );
    const documented = new Set(documentedOperations().map((o) => o.key));
    expect([...served].filter((k) => !documented.has(k)).sort(), "served but not documented").toEqual([]);
    expect([...documented].filter((k) => !served.has(k)).sort(), "documented but not served").toEqual([]);
    expect(documented.has("GET /healthz")).toBe(true);
  });

  it("gives every operation a success response and its error responses as application/problem+json", () => {
    const problems: string[] = [];
    for (const { key, op } of documentedOperations()) {
      const statuses = Object.keys(op.responses ?? {});
      if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${key}: no 2xx response`);
      const errors = statuses.filter((s) => /^[45]\d\d$/.test(s));
      if (errors.length === 0) problems.push(`${key}: no error responses`);
      for (const s of errors) {
        const content = op.responses![s]!.content ?? {};
        if (Object.keys(content).join() !== "application/problem+json" || !content["application/problem+json"]!.schema) {
          problems.push(`${key} ${s}: not documented as application/problem+json`);
        }
      }
      const isV1 = key.split(" ")[1]!.startsWith("/v1/");
      // Auth, scope, body and validation failures can happen on these routes whatever their handler does.
      const required = [
        ...(isV1 ? ["401"] : []),
        ...(isV1 && !JUDGE_SCOPE_OPS.has(key) ? ["403"] : []),
        ...(op.requestBody ? ["413", "422"] : []),
      ];
      for (const s of required) if (!errors.includes(s)) problems.push(`${key}: ${s} not documented`);
    }
    expect(problems).toEqual([]);
  });

  it("serves an interactive reference at /docs that loads /openapi.json", async () => {
    const res = await t.call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toMatch(/<html/i);
    expect(res.text).toContain("/openapi.json");
  });
});
