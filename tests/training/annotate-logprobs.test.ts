import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTraining, type RunOutcome } from "../../src/training/runner";
import { extractAnswers } from "../fake-llm/judges";
import { startFakeLlm, type FakeChatRequest, type FakeLlm } from "../fake-llm/server";
import { samplePool, trainingFake } from "../fake-llm/training";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { createQueuedRun, testTrainingDeps } from "./test-deps";

async function driveToEnd(run: () => Promise<RunOutcome>): Promise<RunOutcome> {
  for (let i = 0; i < 200; i++) {
    const outcome = await run();
    if (outcome.kind !== "continue") return outcome;
  }
  throw new Error("run did not finish");
}

// Annotation is the judging done at the run's sampling temperature (> 0); held-out evaluation
// and /v1/judge with one sample judge at temperature 0.
const isJudging = (r: FakeChatRequest) => extractAnswers(r) !== null;
const isAnnotation = (r: FakeChatRequest) => isJudging(r) && (r.temperature ?? 0) > 0;

describe("annotation with a logprobs version", () => {
  let fake: FakeLlm;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeLlm({ behavior: trainingFake().behavior });
    t = await createTestApp({ llmUrl: fake.url });
    await t.call("POST", "/v1/traffic", { items: samplePool(60) });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it("asks for no log-probabilities while annotating, and still asks for them when judging", async () => {
    const reg = await t.call("POST", "/v1/versions", { model: "fake-judge", params: { logprobs: true } });
    expect(reg.status, reg.text).toBe(201);
    const act = await t.call("POST", `/v1/versions/${reg.json.id}/activate`, { reason: "calibrated confidence" });
    expect(act.status, act.text).toBe(200);

    const id = await createQueuedRun(t, { sample_size: 16, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 8, concurrency: 4, seed: 3, iterations: 1, auto_promote: false });
    expect(await driveToEnd(() => runTraining(testTrainingDeps(t), id))).toEqual({ kind: "finished", status: "completed" });

    const annotation = fake.chatRequests().filter(isAnnotation);
    expect(annotation.length).toBeGreaterThan(0);
    for (const r of annotation) {
      expect(r.logprobs).toBeUndefined();
      expect(r.top_logprobs).toBeUndefined();
    }
    // The candidate inherits params.logprobs and its held-out evaluation reports calibration,
    // so those judge calls do ask.
    const evaluation = fake.chatRequests().filter((r) => isJudging(r) && !isAnnotation(r));
    expect(evaluation.length).toBeGreaterThan(0);
    for (const r of evaluation) expect(r).toMatchObject({ logprobs: true, top_logprobs: 5 });

    const before = fake.chatRequests().length;
    const res = await t.call("POST", "/v1/judge", { instruction: "Explain why the sky is blue", response_a: "Rayleigh scattering. [ok]", response_b: "It reflects the sea.", version: reg.json.name });
    expect(res.status, res.text).toBe(200);
    const sent = fake.chatRequests().slice(before);
    expect(sent).toHaveLength(2);
    for (const r of sent) expect(r).toMatchObject({ logprobs: true, top_logprobs: 5 });
  }, 120_000);
});
