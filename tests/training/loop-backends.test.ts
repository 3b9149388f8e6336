import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { installFineTuning, type FineTuningFake } from "../fake-llm/finetune";
import { assertTrainingInvariants, finished, query, seedPool, startTrainingEnv, waitForRun, type TrainingEnv } from "./helpers";

// Small runs: 24 training instructions, 4 samples per pair, ~30 held-out pairs. The fake seed
// judge is right 65% of the time per sample and any trained judge 95%, so iteration 1's
// candidate must pass the gate; iteration 2 is decided by the data either way.
const RUN = {
  iterations: 2,
  sample_size: 24,
  samples_per_pair: 4,
  heldout_fraction: 0.3,
  heldout_size: 30,
  concurrency: 4,
  seed: 11,
};

describe("training loop end to end, every backend", () => {
  let env: TrainingEnv;
  let ft: FineTuningFake;
  beforeAll(async () => {
    env = await startTrainingEnv();
    ft = installFineTuning(env.fake);
    for (const name of ["ft", "ext"]) {
      const res = await env.t.call("POST", "/v1/evaluators", { name });
      expect(res.status).toBe(201);
    }
    await seedPool(env.t, 120);
    await seedPool(env.t, 120, "ft");
    await seedPool(env.t, 120, "ext");
  });
  afterAll(async () => env?.close());

  it("few-shot: two iterations, candidate promoted by the gate, iteration 2 annotated by it", async () => {
    const { t } = env;
    const start = await t.call("POST", "/v1/training/runs", { ...RUN, backend: "few-shot", few_shot_k: 4 });
    expect(start.status).toBe(202);
    expect(start.json.status).toBe("queued");
    const run = await waitForRun(t, start.json.id, finished);
    expect(run.error).toBeNull();
    expect(run.status).toBe("completed");
    expect(run.iterations).toHaveLength(2);

    const [it1, it2] = run.iterations;
    expect(it1.status).toBe("promoted");
    expect(it1.decision.decision).toBe("promote");
    expect(it1.evaluation.metrics.candidate.accuracy).toBeGreaterThan(it1.evaluation.metrics.baseline.accuracy);
    expect(it1.counters.kept).toBeGreaterThan(0);
    expect(it1.counters.kept_a).toBe(it1.counters.kept_b);
    expect(it2.annotator.id).toBe(it1.candidate.id);
    expect(it2.counters.kept_a).toBe(it2.counters.kept_b);
    expect(["promoted", "rejected"]).toContain(it2.status);
    expect(it2.decision.reasons.length).toBeGreaterThan(0);

    const cand = await t.call("GET", `/v1/versions/${it1.candidate.id}`);
    expect(cand.json.few_shot).toHaveLength(4);
    const labels = cand.json.few_shot.map((d: { judgment: string }) => d.judgment.match(/\[\[([AB])\]\]/)?.[1]);
    expect(new Set(labels)).toEqual(new Set(["A", "B"]));
    const active = await t.call("GET", "/v1/versions/active");
    expect(active.json.id).toBe(it2.status === "promoted" ? it2.candidate.id : it1.candidate.id);

    expect(run.counters.selected).toBe(24);
    expect(run.counters.heldout_selected).toBeGreaterThan(0);
    expect(run.counters.dropped_malformed + run.counters.dropped_same_instruction).toBeGreaterThan(0);
    expect(run.counters.pairs_built + run.counters.heldout_pairs_built + run.counters.dropped_malformed + run.counters.dropped_same_instruction).toBe(
      run.counters.pairs_total,
    );
    expect(run.usage.judge_requests).toBeGreaterThan(0);
    expect(run.progress.annotate).toEqual({ done: run.counters.pairs_built, total: run.counters.pairs_built });

    await assertTrainingInvariants(t, run.id);
    const [heldout] = await query<{ n: number }>(
      t,
      sql`select count(*)::int as n from heldout_items where training_run_id = ${run.id} and source = 'synthetic'`,
    );
    expect(Number(heldout!.n)).toBe(run.counters.heldout_pairs_built);
    const [labelsSeen] = await query<{ a: number; b: number }>(
      t,
      sql`select count(*) filter (where label = 'A')::int as a, count(*) filter (where label = 'B')::int as b
            from heldout_items where training_run_id = ${run.id}`,
    );
    // y_w is placed on a seed-chosen side, so both labels occur.
    expect(Number(labelsSeen!.a)).toBeGreaterThan(0);
    expect(Number(labelsSeen!.b)).toBeGreaterThan(0);
  });

  it("openai: uploads the JSONL, fine-tunes the seed model each iteration, the fine-tuned model is the candidate", async () => {
    const { t } = env;
    const start = await t.call("POST", "/v1/training/runs", { ...RUN, evaluator: "ft", backend: "openai" });
    expect(start.status).toBe(202);
    const run = await waitForRun(t, start.json.id, finished);
    expect(run.error).toBeNull();
    expect(run.status).toBe("completed");
    const [it1, it2] = run.iterations;

    expect(ft.jobs).toHaveLength(2);
    // Each iteration starts again from the seed model, as in the paper.
    expect(ft.jobs.map((j) => j.model)).toEqual(["fake-judge", "fake-judge"]);
    expect(ft.jobs.map((j) => j.metadata?.selfjudge_run_id)).toEqual([run.id, run.id]);
    expect(it1.training.job_id).toBe(ft.jobs[0]!.id);
    expect(it1.candidate.model).toBe(ft.jobs[0]!.fine_tuned_model);
    expect(it2.candidate.model).toBe(ft.jobs[1]!.fine_tuned_model);
    expect(it2.annotator.id).toBe(it1.candidate.id);
    expect(it1.status).toBe("promoted");
    expect(["promoted", "rejected"]).toContain(it2.status);

    const uploaded = ft.files.map((f) => f.content.trim().split("\n").map((l) => JSON.parse(l)));
    expect(uploaded.map((lines) => lines.length)).toEqual([it1.counters.kept, it2.counters.kept]);
    for (const lines of uploaded) {
      for (const l of lines) {
        expect(l.messages.at(-1).role).toBe("assistant");
        expect(l.messages.at(-1).content).toMatch(/\[\[[AB]\]\]/);
      }
    }
    await assertTrainingInvariants(t, run.id);
  });

  it("external: exports SFT and DPO data, waits, and continues when a model is registered for the run", async () => {
    const { t } = env;
    const start = await t.call("POST", "/v1/training/runs", { ...RUN, evaluator: "ext", backend: "external" });
    expect(start.status).toBe(202);
    const id = start.json.id;
    let run = await waitForRun(t, id, (r) => r.status === "waiting_external" || finished(r));
    expect(run.status).toBe("waiting_external");
    expect(run.waiting_for).toContain("training_run_id");

    const sft = await t.call("GET", `/v1/training/runs/${id}/dataset?format=sft`);
    expect(sft.status).toBe(200);
    expect(sft.headers.get("content-type")).toContain("application/jsonl");
    const sftLines = sft.text.trim().split("\n").map((l: string) => JSON.parse(l));
    expect(sftLines).toHaveLength(run.counters.kept);
    expect(sftLines.every((l: any) => l.messages.at(-1).role === "assistant")).toBe(true);
    const dpo = await t.call("GET", `/v1/training/runs/${id}/dataset?format=dpo&iteration=1`);
    const dpoLines = dpo.text.trim().split("\n").map((l: string) => JSON.parse(l));
    expect(dpoLines).toHaveLength(run.counters.dpo_pairs);
    for (const l of dpoLines) {
      expect(l.input.messages.at(-1).role).toBe("user");
      expect(l.preferred_output[0].content).not.toBe(l.non_preferred_output[0].content);
    }
    const early = await t.call("GET", `/v1/training/runs/${id}/dataset?iteration=2`);
    expect(early.status).toBe(409);

    const v1 = await t.call("POST", "/v1/versions", { evaluator: "ext", model: "judge-external-1", training_run_id: id });
    expect(v1.status).toBe(201);
    run = await waitForRun(t, id, (r) => (r.status === "waiting_external" && r.iteration === 2) || finished(r));
    expect(run.status).toBe("waiting_external");
    expect(run.iterations[0].candidate.id).toBe(v1.json.id);
    expect(run.iterations[0].status).toBe("promoted");
    expect(run.iterations[1].annotator.id).toBe(v1.json.id);

    const v2 = await t.call("POST", "/v1/versions", { evaluator: "ext", model: "judge-external-2", training_run_id: id });
    expect(v2.status).toBe(201);
    run = await waitForRun(t, id, finished);
    expect(run.status).toBe("completed");
    expect(run.iterations[1].candidate.id).toBe(v2.json.id);
    expect(["promoted", "rejected"]).toContain(run.iterations[1].status);
    await assertTrainingInvariants(t, id);
  });
});
