import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgments } from "../../src/db/schema";
import { oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "./fixtures";

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

const valid = { instruction: "Q?", response_a: "x", response_b: "y" };

describe("POST /v1/judge input validation", () => {
  const cases: Array<[string, unknown, string]> = [
    ["whitespace-only response", { ...valid, response_b: " \n\t " }, "response_b"],
    ["empty instruction", { ...valid, instruction: "" }, "instruction"],
    ["whitespace instruction", { ...valid, instruction: "   " }, "instruction"],
    ["samples 0", { ...valid, samples: 0 }, "samples"],
    ["samples 33", { ...valid, samples: 33 }, "samples"],
    ["fractional samples", { ...valid, samples: 1.5 }, "samples"],
    ["temperature above 2", { ...valid, temperature: 2.5 }, "temperature"],
    ["missing response_a", { instruction: "Q?", response_b: "y" }, "response_a"],
    ["missing everything", {}, "instruction"],
    ["string samples", { ...valid, samples: "5" }, "samples"],
    ["number instruction", { ...valid, instruction: 42 }, "instruction"],
    ["string swap", { ...valid, swap: "yes" }, "swap"],
    ["array metadata", { ...valid, metadata: [1, 2] }, "metadata"],
    ["unknown field (a typo must not be ignored)", { ...valid, sample: 5 }, ""],
    ["over-long response", { ...valid, response_a: "x".repeat(100_001) }, "response_a"],
    ["over-large metadata", { ...valid, metadata: { blob: "x".repeat(20_000) } }, "metadata"],
    ["JSON array body", [valid], ""],
  ];

  it.each(cases)("%s → 422 problem+json naming the field", async (_name, body, field) => {
    const calls = chatCount(fake);
    const res = await t.call("POST", "/v1/judge", body);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json).toMatchObject({ status: 422, type: expect.stringContaining("validation_failed") });
    expect(Array.isArray(res.json.errors)).toBe(true);
    if (field) expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(chatCount(fake)).toBe(calls);
  });

  it("rejects a body that is not JSON with a 4xx problem", async () => {
    const bodies: Array<[string | undefined, string | undefined, number]> = [
      ["application/json", "{not json", 400],
      ["application/json", "", 400],
      ["text/plain", JSON.stringify(valid), 415],
      ["application/x-www-form-urlencoded", "instruction=Q", 415],
      [undefined, undefined, 422],
    ];
    for (const [type, body, status] of bodies) {
      const res = await t.app.request("/v1/judge", { method: "POST", headers: type ? { "content-type": type } : {}, body });
      expect(res.status, `${type} ${body}`).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("stores nothing for bad input", async () => {
    const before = (await t.database.db.select().from(judgments)).length;
    await t.call("POST", "/v1/judge", { ...valid, samples: 0 });
    await t.call("POST", "/v1/judge", { ...valid, response_a: " " });
    expect((await t.database.db.select().from(judgments)).length).toBe(before);
  });

  it("accepts the limits themselves", async () => {
    const res = await t.call("POST", "/v1/judge", pair("a", { samples: 32, temperature: 2, swap: false, reference: null, metadata: { k: [1, { x: true }] } }));
    expect(res.status).toBe(200);
    expect(res.json.votes.A).toBe(32);
  });
});

describe("GET /v1/judgments/{id}", () => {
  it("404s an unknown id and 422s one that is not a uuid", async () => {
    const unknown = await t.call("GET", "/v1/judgments/00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    const malformed = await t.call("GET", "/v1/judgments/not-a-uuid");
    expect(malformed.status).toBe(422);
  });

  it("returns the full record of a successful judgment", async () => {
    const req = pair("b", { samples: 2, metadata: { user: "u1" }, reference: "Paris" });
    const res = await t.call("POST", "/v1/judge", req);
    const got = await t.call("GET", `/v1/judgments/${res.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      id: res.json.id,
      status: "ok",
      verdict: "B",
      confidence: 1,
      position_consistent: true,
      votes: { A: 0, B: 4, tie: 0, invalid: 0 },
      instruction: req.instruction,
      response_a: req.response_a,
      response_b: req.response_b,
      reference: "Paris",
      metadata: { user: "u1" },
      params: { samples: 2, swap: true },
      usage: res.json.usage,
      latency_ms: res.json.latency_ms,
      reasoning: res.json.reasoning,
      error: null,
      version: res.json.version,
      evaluator: res.json.evaluator,
      created_at: res.json.created_at,
    });
    expect(got.json.raw_outputs).toHaveLength(4);
    const ba = got.json.raw_outputs.filter((o: { order: string }) => o.order === "ba");
    // In the swapped order the better answer was shown as A: the raw vote says A, the caller's frame B.
    expect(ba.every((o: { raw_vote: string; vote: string }) => o.raw_vote === "A" && o.vote === "B")).toBe(true);
  });
});
