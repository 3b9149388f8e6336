import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRun } from "../../src/db/queries/training";
import { runTraining, type RunOutcome } from "../../src/training/runner";
import { installFineTuning, type FineTuningFake } from "../fake-llm/finetune";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { samplePool, trainingFake } from "../fake-llm/training";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { createQueuedRun, testTrainingDeps } from "./test-deps";

const SMALL = { sample_size: 16, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 12, concurrency: 3, backend: "openai" as const };

describe("openai backend: canceling, and following a job through provider errors", () => {
  let fake: FakeLlm;
  let ft: FineTuningFake;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeLlm({ behavior: trainingFake().behavior });
    // Jobs never finish by themselves: only a cancel ends them.
    ft = installFineTuning(fake, { retrievesToFinish: Number.MAX_SAFE_INTEGER });
    t = await createTestApp({ llmUrl: fake.url, env: { LLM_MAX_RETRIES: "0" } });
    await t.call("POST", "/v1/traffic", { items: samplePool(60) });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  async function waitForJob(before: number) {
    for (let i = 0; i < 400 && ft.jobs.length === before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(ft.jobs.length).toBe(before + 1);
    return ft.jobs.at(-1)!;
  }

  it("cancels the fine-tuning job at the provider when the run is canceled while it follows the job", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 21 });
    const before = ft.jobs.length;
    const running = runTraining(testTrainingDeps(t), id);
    const job = await waitForJob(before);
    expect((await t.call("POST", `/v1/training/runs/${id}/cancel`)).status).toBe(200);
    expect(await running).toEqual({ kind: "finished", status: "canceled" });

    expect(ft.cancels).toContain(job.id);
    expect(job.status).toBe("cancelled");
    const run = await getRun(t.database.db, id);
    expect(run!.status).toBe("canceled");
    expect((run!.state as any).iters["1"].trainer).toMatchObject({ job_id: job.id, status: "cancelled" });
  });

  it("a provider that refuses the cancel does not stop the run from being canceled (between work slices)", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 22 });
    const before = ft.jobs.length;
    const short = () => testTrainingDeps(t, { timing: { ...testTrainingDeps(t).timing, sliceMs: 100 } });
    let outcome: RunOutcome;
    do outcome = await runTraining(short(), id);
    while (outcome.kind === "continue" && ft.jobs.length === before);
    // The slice ended with the job still running; nobody is executing the run when the cancel comes.
    expect(outcome.kind).toBe("continue");
    const job = ft.jobs.at(-1)!;
    expect((await t.call("POST", `/v1/training/runs/${id}/cancel`)).json.cancel_requested).toBe(true);

    ft.cancelFailsWith = "provider is down";
    try {
      expect(await runTraining(short(), id)).toEqual({ kind: "finished", status: "canceled" });
    } finally {
      ft.cancelFailsWith = null;
    }
    expect(ft.cancels).toContain(job.id);
    expect(job.status).not.toBe("cancelled");
    const run = await getRun(t.database.db, id);
    expect(run!.status).toBe("canceled");
    expect((run!.state as any).iters["1"].trainer.cancel_error).toMatch(/provider is down/);
  });

  /** Runs work slices until the run has a fine-tuning job; returns the job. */
  async function untilJob(id: string) {
    const before = ft.jobs.length;
    let outcome: RunOutcome;
    do outcome = await runTraining(shortSlices(), id);
    while (outcome.kind === "continue" && ft.jobs.length === before);
    expect(outcome.kind).toBe("continue");
    return ft.jobs.at(-1)!;
  }
  const shortSlices = () => testTrainingDeps(t, { timing: { ...testTrainingDeps(t).timing, sliceMs: 100 } });

  it("a provider error while polling the job leaves the run waiting for it, not failed", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 23 });
    const job = await untilJob(id);
    ft.retrieveFails = { status: 503, message: "fine-tuning service unavailable" };
    try {
      expect((await runTraining(shortSlices(), id)).kind).toBe("continue");
      expect((await runTraining(shortSlices(), id)).kind).toBe("continue");
    } finally {
      ft.retrieveFails = null;
    }
    let run = await getRun(t.database.db, id);
    expect(run!.status).toBe("running");
    expect((run!.state as any).iters["1"].trainer).toMatchObject({ job_id: job.id, poll_failures: 2 });

    // The provider is back: the same job is followed again (the counter resets), no second job.
    const jobs = ft.jobs.length;
    expect((await runTraining(shortSlices(), id)).kind).toBe("continue");
    run = await getRun(t.database.db, id);
    expect((run!.state as any).iters["1"].trainer.poll_failures).toBe(0);
    expect(ft.jobs.length).toBe(jobs);
    await t.call("POST", `/v1/training/runs/${id}/cancel`);
    expect(await runTraining(shortSlices(), id)).toEqual({ kind: "finished", status: "canceled" });
  });

  it("a run that fails while its job is training cancels the job at the provider", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 24 });
    const job = await untilJob(id);
    ft.retrieveFails = { status: 404, message: "no such job" };
    try {
      expect(await runTraining(shortSlices(), id)).toEqual({ kind: "finished", status: "failed" });
    } finally {
      ft.retrieveFails = null;
    }
    expect((await getRun(t.database.db, id))!.error).toMatch(/no such job/);
    expect(ft.cancels).toContain(job.id);
    expect(job.status).toBe("cancelled");
  });
});
