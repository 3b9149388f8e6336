import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGate, isTrainedJudge, samplePool } from "../fake-llm/training";
import { finished, seedPool, startTrainingEnv, waitForRun, type TrainingEnv } from "./helpers";

const gate = createGate();

describe("training runs API", () => {
  let env: TrainingEnv;
  beforeAll(async () => {
    env = await startTrainingEnv({
      fake: {
        // Trained judges are worse than the seed here, so the gate must refuse them.
        accuracy: (req) => (isTrainedJudge(req) ? 0.3 : 0.7),
        annotationGate: () => gate.wait(),
      },
    });
  });
  afterAll(async () => {
    gate.release();
    await env?.close();
  });

  it("ingests traffic deduplicated by normalised instruction, and refuses more than 1,000 items", async () => {
    const { t } = env;
    const first = await t.call("POST", "/v1/traffic", {
      items: [{ instruction: "What is a monad?" }, { instruction: "  what IS a   monad? " }, { instruction: "Define a functor", response: "…", metadata: { app: "x" } }],
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ evaluator: "default", received: 3, inserted: 2, duplicates: 1 });
    const again = await t.call("POST", "/v1/traffic", { items: [{ instruction: "WHAT is a monad?" }] });
    expect(again.json).toMatchObject({ inserted: 0, duplicates: 1 });

    const tooMany = await t.call("POST", "/v1/traffic", { items: samplePool(1001, "big") });
    expect(tooMany.status).toBe(422);
    const empty = await t.call("POST", "/v1/traffic", { items: [{ instruction: "   " }] });
    expect(empty.status).toBe(422);
    const unknown = await t.call("POST", "/v1/traffic", { evaluator: "nope", items: [{ instruction: "x y z" }] });
    expect(unknown.status).toBe(404);

    const stats = await t.call("GET", "/v1/traffic/stats");
    expect(stats.status).toBe(200);
    expect(stats.json).toEqual({
      evaluator: "default",
      total: 2,
      by_source: { ingest: 2 },
      by_category: { unclassified: 2 },
      by_split: { unassigned: 2 },
    });
  });

  it("rejects bad run parameters with 422 and creates nothing", async () => {
    const { t } = env;
    const bad = [
      { iterations: 0 },
      { iterations: 11 },
      { heldout_fraction: 0.6 },
      { concurrency: 0 },
      { concurrency: 65 },
      { backend: "magic" },
      { samples_per_pair: 1 },
      { sample_size: "ten" },
      { category_weights: { astrology: 2 } },
      { min_instruction_chars: 100, max_instruction_chars: 10 },
      { surprise: true },
    ];
    for (const body of bad) {
      const res = await t.call("POST", "/v1/training/runs", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await t.call("POST", "/v1/training/runs", { evaluator: "nope" })).status).toBe(404);
    const list = await t.call("GET", "/v1/training/runs");
    expect(list.json.data).toEqual([]);
  });

  it("refuses a worse candidate: rejected with its numbers, the active version unchanged", async () => {
    const { t } = env;
    await seedPool(t, 120);
    const before = await t.call("GET", "/v1/versions/active");
    const start = await t.call("POST", "/v1/training/runs", {
      sample_size: 24,
      samples_per_pair: 4,
      heldout_fraction: 0.3,
      heldout_size: 30,
      concurrency: 4,
      seed: 5,
    });
    expect(start.status).toBe(202);
    expect(start.json.params).toMatchObject({ iterations: 1, backend: "few-shot", auto_promote: true, seed: 5, temperature: 0.7, top_p: 0.9 });
    const run = await waitForRun(t, start.json.id, finished);
    expect(run.status).toBe("completed");
    const it1 = run.iterations[0];
    expect(it1.status).toBe("rejected");
    expect(it1.promoted).toBe(false);
    expect(it1.decision.decision).toBe("reject");
    expect(it1.evaluation.metrics.candidate.accuracy).toBeLessThan(it1.evaluation.metrics.baseline.accuracy);
    const cand = await t.call("GET", `/v1/versions/${it1.candidate.id}`);
    expect(cand.json.status).toBe("rejected");
    const after = await t.call("GET", "/v1/versions/active");
    expect(after.json.id).toBe(before.json.id);

    const stats = await t.call("GET", "/v1/traffic/stats");
    expect(stats.json.by_split.unassigned ?? 0).toBe(0);
    expect(stats.json.by_split.train + stats.json.by_split.heldout).toBe(stats.json.total);
    expect(stats.json.by_category.coding).toBeGreaterThan(0);

    const listed = await t.call("GET", "/v1/training/runs?limit=1");
    expect(listed.json.data.map((r: any) => r.id)).toEqual([run.id]);
    expect(await t.call("POST", `/v1/training/runs/${run.id}/cancel`)).toMatchObject({ status: 409 });
  });

  it("allows one run at a time (409), and cancel stops a running run between items", async () => {
    const { t } = env;
    gate.hold();
    const start = await t.call("POST", "/v1/training/runs", { sample_size: 24, samples_per_pair: 4, heldout_fraction: 0.3, concurrency: 2 });
    expect(start.status).toBe(202);
    const second = await t.call("POST", "/v1/training/runs", { sample_size: 10 });
    expect(second.status).toBe(409);
    // The limit is per evaluator: another evaluator's run starts alongside.
    expect((await t.call("POST", "/v1/evaluators", { name: "side-by-side" })).status).toBe(201);
    const other = await t.call("POST", "/v1/training/runs", { evaluator: "side-by-side", sample_size: 10 });
    expect(other.status).toBe(202);
    expect(other.json.id).not.toBe(start.json.id);

    await waitForRun(t, start.json.id, (r) => r.current_step === "annotate" && gate.waiting > 0);
    const cancel = await t.call("POST", `/v1/training/runs/${start.json.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.json.cancel_requested).toBe(true);
    const run = await waitForRun(t, start.json.id, finished);
    gate.release();
    expect(run.status).toBe("canceled");
    expect(run.iterations[0]?.candidate ?? null).toBeNull();
    expect(run.counters.pairs_annotated).toBeLessThan(run.counters.pairs_built);

    // An evaluator with an empty pool ends on its own; it never held the default evaluator's slot.
    expect(["failed", "canceled", "completed"]).toContain((await waitForRun(t, other.json.id, finished)).status);

    // The slot is free again.
    const next = await t.call("POST", "/v1/training/runs", { sample_size: 10, heldout_fraction: 0.3 });
    expect(next.status).toBe(202);
    const cancelled = await t.call("POST", `/v1/training/runs/${next.json.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await waitForRun(t, next.json.id, finished)).status).toBe("canceled");
  });
});
