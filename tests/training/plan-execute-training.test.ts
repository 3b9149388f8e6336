import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { parsePlanExecute } from "../../src/judging";
import { runTraining, type RunOutcome } from "../../src/training/runner";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { samplePool, trainingFake } from "../fake-llm/training";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { assertTrainingInvariants, query } from "./helpers";
import { createQueuedRun, testTrainingDeps } from "./test-deps";

async function driveToEnd(run: () => Promise<RunOutcome>): Promise<RunOutcome> {
  for (let i = 0; i < 200; i++) {
    const outcome = await run();
    if (outcome.kind !== "continue") return outcome;
  }
  throw new Error("run did not finish");
}

describe("training a plan-execute evaluator", () => {
  let fake: FakeLlm;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeLlm({ behavior: trainingFake().behavior });
    t = await createTestApp({ llmUrl: fake.url });
    await t.call("POST", "/v1/traffic", { items: samplePool(80) });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it("annotates, keeps and trains in the active version's template: kept judgments keep their plan and execution", async () => {
    const reg = await t.call("POST", "/v1/versions", { model: "fake-judge", template: "plan-execute" });
    const act = await t.call("POST", `/v1/versions/${reg.json.id}/activate`, { reason: "try plan-execute" });
    expect(act.status, act.text).toBe(200);

    const id = await createQueuedRun(t, { sample_size: 24, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 12, concurrency: 4, seed: 5, few_shot_k: 4 });
    expect(await driveToEnd(() => runTraining(testTrainingDeps(t), id))).toEqual({ kind: "finished", status: "completed" });
    await assertTrainingInvariants(t, id);

    const sampled = await query<{ text: string; vote: string }>(t, sql`select text, vote from training_judgments where run_id = ${id}`);
    expect(sampled.length).toBeGreaterThan(0);
    const valid = sampled.filter((s) => s.vote !== "invalid");
    expect(valid.length).toBeGreaterThan(0);
    for (const s of valid) expect(parsePlanExecute(s.text).vote).toBe(s.vote);

    const kept = await query<{ chosen_judgment: string; label: string; prompt: any }>(
      t,
      sql`select chosen_judgment, label, prompt from training_examples where run_id = ${id} and kind = 'sft'`,
    );
    expect(kept.length).toBeGreaterThan(0);
    for (const k of kept) {
      const parsed = parsePlanExecute(k.chosen_judgment);
      expect(parsed.vote).toBe(k.label);
      expect(parsed.parts?.plan.length).toBeGreaterThan(0);
      expect(parsed.parts?.execution.length).toBeGreaterThan(0);
      const prompt = typeof k.prompt === "string" ? JSON.parse(k.prompt) : k.prompt;
      expect(prompt[0].content).toContain("[The Start of Evaluation Plan]");
    }

    const run = (await t.call("GET", `/v1/training/runs/${id}`)).json;
    const cand = (await t.call("GET", `/v1/versions/${run.iterations[0].candidate.id}`)).json;
    expect(cand.template).toBe("plan-execute");
    expect(cand.few_shot.length).toBeGreaterThan(0);
    for (const d of cand.few_shot) expect(parsePlanExecute(d.judgment).vote).not.toBe("invalid");
    }, 120_000);
});
