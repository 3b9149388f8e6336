import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { byModelJudge, heldoutItems, waitDone } from "./helpers";

let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: byModelJudge });
  t = await createTestApp({ llmUrl: fake.url, jobs: true });
  const res = await t.call("POST", "/v1/heldout", { items: heldoutItems(40) });
  expect(res.json.inserted).toBe(40);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function register(model: string) {
  const res = await t.call("POST", "/v1/versions", { model });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; name: string };
}

describe("evaluations end to end (background runner, fake LLM)", () => {
  it("evaluates a better candidate against the active version and the gate promotes it, with the numbers", async () => {
    const cand = await register("oracle");
    const created = await t.call("POST", "/v1/evaluations", { version: cand.name, promote: true });
    expect(created.status, created.text).toBe(202);
    expect(created.json).toMatchObject({
      status: "queued",
      candidate: { name: cand.name },
      baseline: { name: "v1" },
      promote: true,
      swap: true,
      samples: 1,
      gate: { min_delta: 0.01, alpha: 0.05, consistency_tolerance: 0.02 },
      progress: { done: 0, total: 80 },
      result: null,
    });

    const done = await waitDone(t, created.json.id);
    expect(done.status, done.error).toBe("completed");
    expect(done.progress).toEqual({ done: 80, total: 80 });
    const r = done.result;
    expect(r.n).toBe(40);
    expect(r.excluded_items).toBe(0);
    expect(r.candidate).toMatchObject({ n: 40, correct: 40, accuracy: 1, position_consistent_accuracy: 1, invalid_output_rate: 0, llm_failures: 0 });
    expect(r.candidate.ci95[0]).toBeGreaterThan(0.9);
    expect(r.candidate.ci95[1]).toBe(1);
    expect(r.baseline.accuracy).toBeGreaterThan(0.3);
    expect(r.baseline.accuracy).toBeLessThan(0.9);
    expect(r.candidate.by_category.math.n + r.candidate.by_category.writing.n).toBe(40);
    expect(Object.keys(r.candidate.by_source).sort()).toEqual(["human", "import"]);
    expect(r.candidate.usage.llm_requests).toBe(80); // 40 items × 2 orders
    const wrong = 40 - r.baseline.correct;
    expect(r.comparison).toMatchObject({ n: 40, candidate_only_correct: wrong, baseline_only_correct: 0, both_wrong: 0 });
    expect(r.comparison.p_value).toBeCloseTo(2 ** -wrong, 12);
    expect(r.comparison.delta).toBeCloseTo(wrong / 40, 12);
    expect(r.decision.decision).toBe("promote");
    expect(r.applied).toMatchObject({ applied: true, outcome: "promoted" });
    // Agreement with the 10 human-labelled items (i % 4 === 0, all labelled A): the oracle agrees on all;
    // one class only, so kappa is undefined. Bias: the oracle follows content, not position.
    expect(r.agreement).toMatchObject({ n: 10, observed_agreement: 1, kappa: null, disagreements: { total: 0, id_kind: "heldout_item" } });
    expect(r.agreement.confusion.matrix[0]).toEqual([10, 0, 0]);
    expect(r.bias.position_flip_rate).toMatchObject({ n: 40, score: 0 });
    expect(r.bias.first_position_preference).toMatchObject({ n: 80, score: 0.5 });
    expect(r.baseline_report.agreement.n).toBe(10);
    expect(r.baseline_report.bias.position_flip_rate.n).toBe(40);

    const active = (await t.call("GET", "/v1/versions/active")).json;
    expect(active.name).toBe(cand.name);
    expect(active.gate_decision).toMatchObject({ evaluation_id: done.id, decision: "promote", outcome: "promoted" });
    expect(active.metrics).toMatchObject({ evaluation_id: done.id, role: "candidate", n: 40, accuracy: 1 });
    expect((await t.call("GET", "/v1/versions/v1")).json).toMatchObject({ status: "retired", metrics: { role: "baseline" } });
    const audit = (await t.call("GET", "/v1/audit?action=promote")).json.data[0];
    expect(audit).toMatchObject({ from: { name: "v1" }, to: { name: cand.name } });
    expect(audit.details).toMatchObject({ evaluation_id: done.id, decision: "promote", n: 40 });
    expect(audit.details.p_value).toBeCloseTo(r.comparison.p_value, 12);
  });

  it("refuses a worse candidate: it stays out of service as `rejected`, with its numbers", async () => {
    const before = (await t.call("GET", "/v1/versions/active")).json.name;
    const worse = await register("biased");
    const created = await t.call("POST", "/v1/evaluations", { version: worse.id, promote: true });
    expect(created.status).toBe(202);
    const done = await waitDone(t, created.json.id);
    expect(done.status).toBe("completed");
    expect(done.result.candidate.accuracy).toBe(0); // always "A": position-inconsistent, so a tie, so wrong
    expect(done.result.candidate.position_consistent_accuracy).toBe(0);
    expect(done.result.decision.decision).toBe("reject");
    expect(done.result.decision.checks.delta.passed).toBe(false);
    expect(done.result.applied.outcome).toBe("rejected");

    const v = (await t.call("GET", `/v1/versions/${worse.name}`)).json;
    expect(v.status).toBe("rejected");
    expect(v.gate_decision).toMatchObject({ decision: "reject", outcome: "rejected" });
    expect(v.gate_decision.reasons.length).toBe(3);
    expect((await t.call("GET", "/v1/versions/active")).json.name).toBe(before);
    const audit = (await t.call("GET", "/v1/audit?action=reject")).json.data[0];
    expect(audit.details).toMatchObject({ version: worse.name, decision: "reject" });
    expect(audit.reason).toMatch(/promotion gate refused/);
  });

  it("without promote, reports the decision but changes nothing; honours filters", async () => {
    const cand = await register("contrarian");
    const created = await t.call("POST", "/v1/evaluations", { version: cand.name, against: "v1", filter: { category: "math", limit: 5 } });
    expect(created.status, created.text).toBe(202);
    expect(created.json.progress.total).toBe(10);
    const done = await waitDone(t, created.json.id);
    expect(done.status).toBe("completed");
    expect(done.result.n).toBe(5);
    expect(Object.keys(done.result.candidate.by_category)).toEqual(["math"]);
    expect(done.result.applied.outcome).toBe("not_requested");
    const v = (await t.call("GET", `/v1/versions/${cand.name}`)).json;
    expect(v.status).toBe("candidate");
    expect(v.gate_decision).toBeNull();
    expect(v.metrics).toMatchObject({ n: 5, accuracy: 0, against: { name: "v1" } });

    const list = await t.call("GET", `/v1/evaluations?version=${cand.name}`);
    expect(list.json.data.map((e: { id: string }) => e.id)).toEqual([done.id]);
    expect((await t.call("GET", "/v1/evaluations?status=completed")).json.data.length).toBe(3);
  });

  it("refuses bad evaluations with 404 / 422 and stores nothing", async () => {
    const before = (await t.call("GET", "/v1/evaluations?limit=100")).json.data.length;
    const active = (await t.call("GET", "/v1/versions/active")).json.name;
    expect((await t.call("POST", "/v1/evaluations", { version: active })).status).toBe(422); // against itself
    expect((await t.call("POST", "/v1/evaluations", { version: "v1", against: "v1" })).status).toBe(422);
    expect((await t.call("POST", "/v1/evaluations", { version: "v99" })).status).toBe(404);
    expect((await t.call("POST", "/v1/evaluations", { version: "v1", against: "v99" })).status).toBe(404);
    expect((await t.call("POST", "/v1/evaluations", { version: "v1", filter: { category: "none" } })).status).toBe(422);
    expect((await t.call("POST", "/v1/evaluations", { version: "v1", promote: true, swap: false })).status).toBe(422);
    expect((await t.call("POST", "/v1/evaluations", { version: "v3", against: "v1", promote: true })).status).toBe(422);
    expect((await t.call("POST", "/v1/evaluations", { version: "v1", samples: 0 })).status).toBe(422);
    expect((await t.call("POST", "/v1/evaluations", { version: "v1", gate: { alpha: 2 } })).status).toBe(422);
    expect((await t.call("GET", "/v1/evaluations?limit=100")).json.data.length).toBe(before);
    expect((await t.call("GET", "/v1/evaluations/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("an empty held-out set is a 422", async () => {
    await t.call("POST", "/v1/evaluators", { name: "empty-one" });
    await t.call("POST", "/v1/versions", { evaluator: "empty-one", model: "oracle" });
    const res = await t.call("POST", "/v1/evaluations", { evaluator: "empty-one", version: "v2" });
    expect(res.status).toBe(422);
    expect(res.json.detail).toMatch(/no held-out item/);
  });

  it("cancels a running evaluation; it then stays canceled", async () => {
    fake.setOptions({ latencyMs: 150 });
    try {
      const cand = await register("oracle");
      const created = await t.call("POST", "/v1/evaluations", { version: cand.name, against: "v1" });
      const cancel = await t.call("POST", `/v1/evaluations/${created.json.id}/cancel`, {});
      expect(cancel.status).toBe(200);
      expect(cancel.json.status).toBe("canceled");
      expect(cancel.json.finished_at).not.toBeNull();
      expect((await t.call("POST", `/v1/evaluations/${created.json.id}/cancel`, {})).status).toBe(409);
      await new Promise((r) => setTimeout(r, 1200));
      const after = (await t.call("GET", `/v1/evaluations/${created.json.id}`)).json;
      expect(after.status).toBe("canceled");
      expect(after.result).toBeNull();
      expect(after.progress.done).toBeLessThan(80);
    } finally {
      fake.setOptions({ latencyMs: 0 });
    }
  });
});

describe("without a background runner", () => {
  it("answers 503 and stores nothing", async () => {
    // Same database, an instance started without jobs (JOBS_ENABLED=false).
    const bare = await createTestApp({ llmUrl: fake.url, database: t.database });
    try {
      const before = (await bare.call("GET", "/v1/evaluations?limit=100")).json.data.length;
      const res = await bare.call("POST", "/v1/evaluations", { version: "v1" });
      expect(res.status).toBe(503);
      expect((await bare.call("GET", "/v1/evaluations?limit=100")).json.data.length).toBe(before);
    } finally {
      await bare.close();
    }
  });
});
