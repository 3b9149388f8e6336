import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "../judge-api/fixtures";
import { encodePageCursor } from "../../src/lib/page-cursor";

let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

function expect422(res: { status: number; headers: Headers; json: any }, path: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(422);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe("NUL characters and lone surrogates are a 422 naming the field, before any LLM call", () => {
  it.each([
    ["instruction", { instruction: "a\u0000b" }, "body.instruction"],
    ["response_b", { response_b: "x\u0000" }, "body.response_b"],
    ["a metadata value", { metadata: { team: "a\u0000b" } }, "body.metadata.team"],
    ["a metadata key", { metadata: { "k\u0000": 1 } }, "body.metadata.k\\u0000"],
    ["a lone high surrogate", { instruction: "emoji half \ud83d" }, "body.instruction"],
    ["a lone low surrogate", { reference: "\ude00 alone" }, "body.reference"],
  ])("POST /v1/judge with %s", async (_what, extra, path) => {
    const before = chatCount(fake);
    const res = await t.call("POST", "/v1/judge", pair("a", extra));
    expect422(res, path);
    expect(chatCount(fake)).toBe(before);
  });

  it("accepts well-formed astral characters (a real surrogate pair) and escaped backslashes", async () => {
    const res = await t.call("POST", "/v1/judge", pair("a", { instruction: "Why 😀? path C:\\u0000dir" }));
    expect(res.status).toBe(200);
  });

  it("refuses NUL inside a batch item without judging any item", async () => {
    const before = chatCount(fake);
    const res = await t.call("POST", "/v1/judge/batch", { items: [pair("a"), pair("b", { metadata: { x: "\u0000" } })] });
    expect422(res, "body.items.1.metadata.x");
    expect(chatCount(fake)).toBe(before);
  });

  it("refuses NUL in query and path parameters", async () => {
    expect422(await t.call("GET", "/v1/judgments?evaluator=a%00b"), "query.evaluator");
    expect422(await t.call("GET", "/v1/versions/a%00b"), "path");
    expect422(await t.call("GET", "/v1/judgments?version=v%00"), "query.version");
  });

  it("refuses NUL in a JSON Lines upload, naming the line", async () => {
    const body = [
      JSON.stringify({ instruction: "q", response_a: "a", response_b: "b", label: "A" }),
      JSON.stringify({ instruction: "q\u0000", response_a: "a", response_b: "b", label: "A" }),
    ].join("\n");
    const res = await t.app.request("/v1/heldout?evaluator=default", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body,
    });
    expect(res.status).toBe(422);
    const json = (await res.json()) as any;
    expect(json.errors[0].path).toBe("line 2.instruction");
  });

  it("refuses NUL in traffic ingestion", async () => {
    const res = await t.call("POST", "/v1/traffic", { evaluator: "default", items: [{ instruction: "hi\u0000" }] });
    expect(res.status).toBe(422);
  });
});

describe("cursors and dates are real, in-range values", () => {
  it("a cursor that decodes to an impossible date is a 422 on every paged listing", async () => {
    const bad = encodePageCursor({ ts: "2026-13-45T99:99:99Z", id: "00000000-0000-4000-8000-000000000000" });
    const feb30 = encodePageCursor({ ts: "2026-02-30T10:00:00Z", id: "00000000-0000-4000-8000-000000000000" });
    for (const path of ["/v1/judgments", "/v1/heldout", "/v1/training/runs", "/v1/evaluations", "/v1/audit"]) {
      for (const cursor of [bad, feb30]) {
        const res = await t.call("GET", `${path}?cursor=${cursor}`);
        expect(res.status, `${path} ${JSON.stringify(res.json)}`).toBe(422);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    }
  });

  it.each(["0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "10000-01-01T00:00:00Z"])(
    "GET /v1/judgments?from=%s is a 422",
    async (from) => {
      const res = await t.call("GET", `/v1/judgments?from=${encodeURIComponent(from)}`);
      expect(res.status).toBe(422);
      expect(res.json.errors[0].path).toBe("from");
    },
  );

  it("a real date is still accepted", async () => {
    expect((await t.call("GET", "/v1/judgments?from=2024-02-29T00:00:00Z&to=9999-12-31T23:59:59Z")).status).toBe(200);
  });
});
