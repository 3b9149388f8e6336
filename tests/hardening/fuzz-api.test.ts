import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { encodePageCursor } from "../../src/lib/page-cursor";
import { pathsOf, resolveRef, sampleFor, setAt } from "./openapi-sample";

// Property: whatever one bad value is put anywhere in a request to any route of the OpenAPI
// document (path, query or JSON body), the answer is never a 5xx and every error is problem+json.

let fake: FakeLlm;
let t: TestApp;
let doc: any;
type Op = { method: string; path: string; pathParams: string[]; query: Array<{ name: string; schema: any }>; body?: any };
let ops: Op[] = [];

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url, jobs: true });
  doc = await (await t.app.request("/openapi.json")).json();
  for (const [path, byMethod] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(byMethod)) {
      const params: any[] = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        query: params.filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema })),
        body: op.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
}, 60_000);
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

/** Percent-encodes like encodeURIComponent; a lone surrogate becomes its raw (invalid) UTF-8 bytes. */
function encodeLoose(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "")) + "%ED%BF%BF";
  }
}

const badString = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfff",
    "2026-13-45T99:99:99Z",
    "0000-01-01T00:00:00Z",
    "-1",
    "1e309",
    "NaN",
    "",
    " ",
    "../../etc/passwd",
    "%00",
    "' OR 1=1 --",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://127.0.0.1:1/x",
    encodePageCursor({ ts: "2026-13-45T99:99:99Z", id: "00000000-0000-4000-8000-000000000000" }),
    encodePageCursor({ ts: "0000-01-01T00:00:00Z", id: "00000000-0000-4000-8000-000000000000" }),
    "x".repeat(70_000),
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const badValue = fc.oneof(
  badString,
  fc.constantFrom(null, -1, 0, 1e308, -1e308, 2 ** 53, 1.5, true, [], {}, [null], { "\u0000": 1 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const request = fc.record({
  op: fc.nat(),
  where: fc.constantFrom("path", "query", "body", "body", "body"),
  pick: fc.nat(),
  value: badValue,
});

describe("fuzzing every route of the OpenAPI document with bad input", () => {
  it("never answers 5xx, and every error is application/problem+json", async () => {
    expect(ops.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(request, async ({ op: opIndex, where, pick, value }) => {
        const op = ops[opIndex % ops.length]!;
        const asText = typeof value === "string" ? value : JSON.stringify(value) ?? "null";
        let path = op.path;
        for (const p of op.pathParams) {
          const v = where === "path" ? asText : "00000000-0000-4000-8000-000000000000";
          path = path.replace(`{${p}}`, encodeLoose(v));
        }
        const qs = new URLSearchParams();
        if (where === "query") {
          const name = op.query.length > 0 ? op.query[pick % op.query.length]!.name : "x";
          qs.set(name, asText);
        }
        let body: string | undefined;
        if (op.body) {
          const sample = sampleFor(doc, resolveRef(doc, op.body));
          const targets = pathsOf(sample);
          const mutated = where === "body" ? setAt(sample, targets[pick % targets.length]!, value) : sample;
          body = JSON.stringify(mutated);
        }
        const url = `${path}${qs.size > 0 ? `?${qs}` : ""}`;
        const res = await t.app.request(url, {
          method: op.method,
          headers: body !== undefined ? { "content-type": "application/json" } : {},
          body,
        });
        const text = await res.text();
        const where_ = `${op.method} ${url.slice(0, 200)} body=${(body ?? "").slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, where_).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get("content-type"), where_).toContain("application/problem+json");
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  }, 240_000);
});
