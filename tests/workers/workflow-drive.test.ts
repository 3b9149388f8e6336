import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { acquireLease } from "../../src/db/queries/training";
import { createEvaluation, runEvaluation } from "../../src/evaluation";
import { DEFAULT_TIMING } from "../../src/training/deps";
import { runTraining } from "../../src/training/runner";
import { driveEvaluation, driveTraining } from "../../src/workflows/drive";
import { runEvaluationSlice, runTrainingSlice } from "../../src/workflows/slices";
import { heldoutItems } from "../evaluation/helpers";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { seedPool } from "../training/helpers";
import { createQueuedRun, testTrainingDeps } from "../training/test-deps";
import { deploymentBehavior } from "./fake-behavior";
import { recordingStep } from "./workflow-step";

// The Workflows scheduler (src/workflows/drive.ts + slices.ts, what the Workflow classes run) over
// the real step code, the real database and the fake LLM over HTTP, with a recording stand-in for
// `step`: the same evaluation gives the same numbers as the pg-boss runner's call, a training run
// finishes and promotes, and every step stays within its LLM-call budget with a tiny result.

const BUDGET = 10;
const TIMING = { ...DEFAULT_TIMING, heartbeatMs: 50, pollInitialMs: 5, pollMaxMs: 20, pageSize: 7 };

describe("Workflows scheduler over the shared step code", () => {
  let fake: FakeLlm;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeLlm({ behavior: deploymentBehavior() });
    t = await createTestApp({ llmUrl: fake.url, env: { WORKFLOW_STEP_LLM_CALLS: String(BUDGET), LLM_CONCURRENCY: "5" } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  /** LLM requests made during each step, read from the fake server's log. */
  function callsPerStep() {
    const counts: number[] = [];
    let before = 0;
    return {
      before: () => {
        before = fake.chatRequests().length;
      },
      after: () => counts.push(fake.chatRequests().length - before),
      counts,
    };
  }

  it("an evaluation ends with the same numbers as under the pg-boss runner, in budgeted steps", async () => {
    expect((await t.call("POST", "/v1/evaluators", { name: "ev" })).status).toBe(201);
    expect((await t.call("POST", "/v1/heldout", { evaluator: "ev", items: heldoutItems(24) })).status).toBe(200);
    const cand = await t.call("POST", "/v1/versions", { evaluator: "ev", model: "oracle" });
    expect(cand.status).toBe(201);
    const evaluator = (await findEvaluatorByName(t.database.db, "ev"))!;
    const create = () => createEvaluation(t.deps, { evaluatorId: evaluator.id, version: cand.json.id, promote: false });
    const viaWorkflow = await create();
    const viaNode = await create();

    const calls = callsPerStep();
    const { step, steps } = recordingStep(calls);
    const result = await driveEvaluation(step, { evaluation_id: viaWorkflow.id }, () => runEvaluationSlice(t.deps, viaWorkflow.id));
    // What the pg-boss handler calls for the same evaluation.
    const node = await runEvaluation(t.deps, viaNode.id);

    expect(result.last).toEqual({ status: "completed", done: 48, total: 48 });
    const workflow = (await t.call("GET", `/v1/evaluations/${viaWorkflow.id}`)).json;
    expect(node.status).toBe("completed");
    const strip = (r: any) => ({ ...r, applied: undefined });
    expect(strip(workflow.result)).toEqual(strip((await t.call("GET", `/v1/evaluations/${viaNode.id}`)).json.result));
    expect(workflow.result.candidate.accuracy).toBe(1);

    // 48 units of 2 calls each, at most BUDGET calls started per step, plus the units in flight.
    const concurrency = Math.ceil(t.config.llm.concurrency / 2);
    expect(steps.length).toBeGreaterThanOrEqual(Math.ceil(96 / (BUDGET + 2 * concurrency)));
    for (const n of calls.counts) expect(n).toBeLessThanOrEqual(BUDGET + 2 * concurrency);
    for (const s of steps) expect(s.bytes).toBeLessThan(200);
  });

  it("a few-shot training run finishes and promotes through the gate, one bounded slice per step", async () => {
    await seedPool(t, 120);
    const runId = await createQueuedRun(t, {
      sample_size: 24,
      samples_per_pair: 4,
      heldout_fraction: 0.3,
      heldout_size: 30,
      concurrency: 4,
      seed: 11,
      backend: "few-shot",
      few_shot_k: 4,
    });
    const calls = callsPerStep();
    const { step, steps, sleeps } = recordingStep(calls);
    const result = await driveTraining(
      step,
      { runId },
      () => runTrainingSlice(t.deps, runId, "instance-1", { timing: TIMING }),
      { leaseSeconds: TIMING.leaseSeconds },
    );

    expect(result.outcome).toEqual({ kind: "finished", status: "completed" });
    const run = (await t.call("GET", `/v1/training/runs/${runId}`)).json;
    expect(run.status).toBe("completed");
    expect(run.iterations[0].status).toBe("promoted");
    expect((await t.call("GET", "/v1/versions/active")).json.id).toBe(run.iterations[0].candidate.id);
    // Many small steps, never more than the budget plus the items in flight (≤ 2 calls each).
    expect(steps.length).toBeGreaterThan(run.usage.llm_requests / (BUDGET + 2 * 4));
    for (const n of calls.counts) expect(n).toBeLessThanOrEqual(BUDGET + 2 * 4);
    for (const s of steps) expect(s.bytes).toBeLessThan(200);
    expect(sleeps).toEqual([]);
  });

  it("a slice is one call of runTraining: a second instance finds the run leased and reports busy", async () => {
    await seedPool(t, 30);
    const runId = await createQueuedRun(t, { sample_size: 8, samples_per_pair: 2, heldout_fraction: 0.3, concurrency: 2, seed: 3 });
    expect(await acquireLease(t.database.db, runId, "pg-boss-worker-on-node", 60)).toBeDefined();
    // The Node worker holds it: the Workflow's slice does nothing and says so, like a second pg-boss delivery.
    expect(await runTrainingSlice(t.deps, runId, "instance-2", { timing: TIMING })).toEqual({ kind: "busy" });
    expect(await runTraining(testTrainingDeps(t, { workerId: "pg-boss-worker-on-node" }), runId)).toMatchObject({ kind: "finished" });
  });
});
