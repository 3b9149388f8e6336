import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getRun } from "../../src/db/queries/training";
import { runTraining, type RunOutcome } from "../../src/training/runner";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { isTrainedJudge, samplePool, trainingFake } from "../fake-llm/training";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { query } from "./helpers";
import { createQueuedRun, testTrainingDeps } from "./test-deps";

const SMALL = { sample_size: 16, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 24, concurrency: 3, backend: "few-shot" as const, few_shot_k: 4 };

async function driveToEnd(run: () => Promise<RunOutcome>): Promise<RunOutcome> {
  for (let i = 0; i < 200; i++) {
    const outcome = await run();
    if (outcome.kind !== "continue") return outcome;
  }
  throw new Error("run did not finish");
}

describe("how a training run's iterations and candidates end", () => {
  let fake: FakeLlm;
  let t: TestApp;
  // How often a trained (few-shot) judge is right per sample; the seed judge stays at 65%.
  let trainedAccuracy = 0.95;
  beforeAll(async () => {
    const sim = trainingFake({ accuracy: (req) => (isTrainedJudge(req) ? trainedAccuracy : 0.65) });
    fake = await startFakeLlm({ behavior: sim.behavior });
    t = await createTestApp({ llmUrl: fake.url, env: { LLM_MAX_RETRIES: "0" } });
    await t.call("POST", "/v1/traffic", { items: samplePool(90) });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  async function activeId(): Promise<string> {
    return (await t.call("GET", "/v1/versions/active")).json.id;
  }

  it("a run that fails while evaluating ends its iteration as failed and does not leave the evaluation open", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 31 });
    const base = testTrainingDeps(t);
    const deps = testTrainingDeps(t, {
      evaluation: { ...base.evaluation, finish: async () => Promise.reject(new Error("judge endpoint unreachable")) },
    });
    expect(await driveToEnd(() => runTraining(deps, id))).toEqual({ kind: "finished", status: "failed" });

    const run = (await t.call("GET", `/v1/training/runs/${id}`)).json;
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/judge endpoint unreachable/);
    expect(run.iterations).toHaveLength(1);
    expect(run.iterations[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/judge endpoint unreachable/) });
    expect(run.iterations[0].finished_at).not.toBeNull();

    const evaluationId = (await getRun(t.database.db, id))!.state as { iters: Record<string, { evaluation_id?: string }> };
    const ev = await t.call("GET", `/v1/evaluations/${evaluationId.iters["1"]!.evaluation_id}`);
    expect(ev.status).toBe(200);
    expect(["failed", "canceled"]).toContain(ev.json.status);
  });

  it("auto_promote false: a candidate that passes the gate stays a candidate with its numbers and decision", async () => {
    trainedAccuracy = 0.95;
    const before = await activeId();
    const id = await createQueuedRun(t, { ...SMALL, seed: 32, auto_promote: false });
    expect(await driveToEnd(() => runTraining(testTrainingDeps(t), id))).toEqual({ kind: "finished", status: "completed" });

    const run = (await t.call("GET", `/v1/training/runs/${id}`)).json;
    const [it1] = run.iterations;
    expect(it1.status).toBe("passed");
    expect(it1.promoted).toBe(false);
    expect(it1.decision).toMatchObject({ decision: "promote", outcome: "not_requested" });
    expect(await activeId()).toBe(before);

    const cand = (await t.call("GET", `/v1/versions/${it1.candidate.id}`)).json;
    expect(cand.status).toBe("candidate");
    expect(cand.metrics).toMatchObject({ role: "candidate", evaluation_id: it1.evaluation.id });
    expect(cand.gate_decision).toMatchObject({ decision: "promote", outcome: "not_requested", evaluation_id: it1.evaluation.id });
  });

  it("auto_promote false: a candidate that fails the gate is rejected with its numbers and an audit event", async () => {
    trainedAccuracy = 0.3;
    try {
      const before = await activeId();
      const id = await createQueuedRun(t, { ...SMALL, seed: 33, auto_promote: false });
      expect(await driveToEnd(() => runTraining(testTrainingDeps(t), id))).toEqual({ kind: "finished", status: "completed" });

      const run = (await t.call("GET", `/v1/training/runs/${id}`)).json;
      const [it1] = run.iterations;
      expect(it1.status).toBe("rejected");
      expect(it1.decision).toMatchObject({ decision: "reject", outcome: "rejected" });
      expect(await activeId()).toBe(before);

      const cand = (await t.call("GET", `/v1/versions/${it1.candidate.id}`)).json;
      expect(cand.status).toBe("rejected");
      expect(cand.metrics).toMatchObject({ role: "candidate", evaluation_id: it1.evaluation.id });
      expect(cand.gate_decision).toMatchObject({ decision: "reject", outcome: "rejected" });
      const events = await query<{ action: string }>(
        t,
        sql`select action from audit_events where details->>'version_id' = ${it1.candidate.id}`,
      );
      expect(events.map((e) => e.action)).toEqual(["reject"]);
    } finally {
      trainedAccuracy = 0.95;
    }
  });
});
