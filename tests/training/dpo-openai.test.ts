import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseVerdict } from "../../src/judging";
import { installFineTuning, type FineTuningFake } from "../fake-llm/finetune";
import { extractAnswers } from "../fake-llm/judges";
import { MARKER } from "../fake-llm/training";
import { finished, seedPool, startTrainingEnv, waitForRun, type TrainingEnv } from "./helpers";

const RUN = { iterations: 1, sample_size: 24, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 30, concurrency: 4, seed: 5 };

describe("DPO on the OpenAI backend", () => {
  let env: TrainingEnv;
  let ft: FineTuningFake;
  beforeAll(async () => {
    env = await startTrainingEnv();
    ft = installFineTuning(env.fake);
    expect((await env.t.call("POST", "/v1/evaluators", { name: "dpo" })).status).toBe(201);
    await seedPool(env.t, 120, "dpo");
  });
  afterAll(async () => env?.close());

  it("method dpo uploads the annotation step's DPO pairs in preference format and creates a dpo job", async () => {
    const { t } = env;
    const start = await t.call("POST", "/v1/training/runs", { ...RUN, evaluator: "dpo", backend: "openai", method: "dpo", dpo_beta: 0.2 });
    expect(start.status, start.text).toBe(202);
    expect(start.json.params).toMatchObject({ backend: "openai", method: "dpo", dpo_beta: 0.2 });
    const run = await waitForRun(t, start.json.id, finished, 110_000);
    expect(run.error).toBeNull();
    expect(run.status).toBe("completed");
    const [it1] = run.iterations;

    // The fake checks the file is all preference lines and that the job's method matches it.
    expect(ft.jobs).toHaveLength(1);
    expect(ft.jobs[0]!.method).toEqual({ type: "dpo", dpo: { hyperparameters: { beta: 0.2 } } });
    const file = ft.files.find((f) => f.id === ft.jobs[0]!.training_file)!;
    expect(file.format).toBe("preference");
    expect(file.filename).toMatch(/-dpo\.jsonl$/);
    const lines = file.content.trim().split("\n").map((l) => JSON.parse(l));
    expect(it1.counters.dpo_pairs).toBeGreaterThan(0);
    expect(lines).toHaveLength(it1.counters.dpo_pairs);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(["input", "non_preferred_output", "preferred_output"]);
      // The preferred judgment picks the side showing y_w, the other one does not.
      const shown = extractAnswers({ messages: l.input.messages })!;
      const ywSide = shown.a.includes(MARKER) ? "A" : "B";
      expect(parseVerdict(l.preferred_output[0].content).vote).toBe(ywSide);
      expect(parseVerdict(l.non_preferred_output[0].content).vote).not.toBe(ywSide);
    }
    expect(it1.training).toMatchObject({ job_id: ft.jobs[0]!.id, method: "dpo" });
    expect(it1.candidate.model).toBe(ft.jobs[0]!.fine_tuned_model);
  }, 120_000);

  it("method is refused (422, nothing created, no LLM call) unless the backend is openai; dpo_beta needs method dpo", async () => {
    const { t, fake } = env;
    const runsBefore = (await t.call("GET", "/v1/training/runs?evaluator=dpo")).json.data.length;
    const callsBefore = fake.calls.length;
    for (const body of [
      { backend: "few-shot", method: "dpo" },
      { backend: "external", method: "sft" },
      { method: "dpo" },
      { backend: "openai", method: "ppo" },
      { backend: "openai", dpo_beta: 0.1 },
      { backend: "openai", method: "sft", dpo_beta: 0.1 },
    ]) {
      const res = await t.call("POST", "/v1/training/runs", { ...RUN, evaluator: "dpo", ...body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await t.call("GET", "/v1/training/runs?evaluator=dpo")).json.data.length).toBe(runsBefore);
    expect(fake.calls.length).toBe(callsBefore);
  });
});
