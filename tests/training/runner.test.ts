import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { acquireLease, getRun } from "../../src/db/queries/training";
import type { JobQueue } from "../../src/jobs/queue";
import { runTraining, type RunOutcome } from "../../src/training/runner";
import { startScheduledRuns } from "../../src/training/schedule";
import { installFineTuning, type FineTuningFake } from "../fake-llm/finetune";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { samplePool, trainingFake, type TrainingFake } from "../fake-llm/training";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { assertTrainingInvariants, query } from "./helpers";
import { createQueuedRun, testTrainingDeps } from "./test-deps";

const SMALL = { sample_size: 16, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 12, concurrency: 3, seed: 9 };

/** Calls runTraining like successive job deliveries would, until the run is over. */
async function driveToEnd(run: () => Promise<RunOutcome>, max = 500): Promise<{ outcome: RunOutcome; calls: number }> {
  for (let calls = 1; calls <= max; calls++) {
    const outcome = await run();
    if (outcome.kind !== "continue") return { outcome, calls };
  }
  throw new Error("run did not finish");
}

describe("training runner (driven directly, no job queue)", () => {
  let fake: FakeLlm;
  let sim: TrainingFake;
  let ft: FineTuningFake;
  let t: TestApp;
  beforeAll(async () => {
    sim = trainingFake();
    fake = await startFakeLlm({ behavior: sim.behavior });
    ft = installFineTuning(fake, { retrievesToFinish: 6 });
    t = await createTestApp({ llmUrl: fake.url });
    await t.call("POST", "/v1/traffic", { items: samplePool(90) });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it("a delivery that finds the run leased by another worker does nothing and reports busy", async () => {
    const id = await createQueuedRun(t, SMALL);
    expect(await acquireLease(t.database.db, id, "someone-else", 60)).toBeDefined();
    const outcome = await runTraining(testTrainingDeps(t), id);
    expect(outcome).toEqual({ kind: "busy" });
    const run = await getRun(t.database.db, id);
    expect(run!.status).toBe("queued");
    const [pairs] = await query<{ n: number }>(t, sql`select count(*)::int as n from training_pairs where run_id = ${id}`);
    expect(Number(pairs!.n)).toBe(0);
    await t.call("POST", `/v1/training/runs/${id}/cancel`);
  });

  it("two deliveries at once: exactly one executes the run", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 10 });
    const [a, b] = await Promise.all([runTraining(testTrainingDeps(t), id), runTraining(testTrainingDeps(t), id)]);
    const kinds = [a.kind, b.kind].sort();
    expect(kinds).toEqual(["busy", "finished"]);
    const run = await getRun(t.database.db, id);
    expect(run!.status).toBe("completed");
    await assertTrainingInvariants(t, id);
  });

  it("a run cut into many short work slices finishes with exactly one row per item", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 12 });
    // Each call is a fresh "process" (own worker id) with a 1 ms slice: it stops after its first item.
    const { outcome, calls } = await driveToEnd(() => runTraining(testTrainingDeps(t, { timing: { ...testTrainingDeps(t).timing, sliceMs: 1 } }), id));
    expect(outcome).toEqual({ kind: "finished", status: "completed" });
    expect(calls).toBeGreaterThan(10);
    const res = await t.call("GET", `/v1/training/runs/${id}`);
    const c = res.json.counters;
    expect(c.judgments_sampled).toBe(c.pairs_built * 4);
    expect(c.pairs_annotated).toBe(c.pairs_built);
    const [dups] = await query<{ n: number }>(
      t,
      sql`select count(*)::int as n from (select pair_id from training_judgments where run_id = ${id} group by pair_id having count(*) <> 4) x`,
    );
    expect(Number(dups!.n)).toBe(0);
    await assertTrainingInvariants(t, id);
  });

  it("openai: a restarted run follows the fine-tuning job it started, by id, instead of starting another", async () => {
    const id = await createQueuedRun(t, { ...SMALL, seed: 13, backend: "openai" });
    const jobsBefore = ft.jobs.length;
    const short = () => testTrainingDeps(t, { timing: { ...testTrainingDeps(t).timing, sliceMs: 200, pollInitialMs: 100, pollMaxMs: 100 } });
    let outcome: RunOutcome;
    do outcome = await runTraining(short(), id);
    while (outcome.kind === "continue" && ft.jobs.length === jobsBefore);
    // The slice ended while the job was still running: the job id is in the run's state.
    expect(outcome.kind).toBe("continue");
    const mid = await getRun(t.database.db, id);
    const jobId = (mid!.state as any).iters["1"].trainer.job_id;
    expect(jobId).toBe(ft.jobs.at(-1)!.id);

    const { outcome: end } = await driveToEnd(() => runTraining(short(), id));
    expect(end).toEqual({ kind: "finished", status: "completed" });
    expect(ft.jobs.length).toBe(jobsBefore + 1);
    expect(ft.files.length).toBe(jobsBefore + 1);
    const run = await getRun(t.database.db, id);
    expect((run!.iterations[0] as any).candidate.model).toBe(ft.jobs.at(-1)!.fine_tuned_model);
  });

  it("a held-out instruction stays held out in later runs, whatever they ask", async () => {
    const heldBefore = await query<{ id: string }>(t, sql`select id from traffic where split = 'heldout'`);
    expect(heldBefore.length).toBeGreaterThan(0);
    const id = await createQueuedRun(t, { ...SMALL, seed: 14, heldout_fraction: 0, sample_size: 60 });
    const { outcome } = await driveToEnd(() => runTraining(testTrainingDeps(t), id));
    expect(outcome).toEqual({ kind: "finished", status: "completed" });
    const heldAfter = await query<{ id: string }>(t, sql`select id from traffic where split = 'heldout'`);
    expect(heldAfter.map((r) => r.id).sort()).toEqual(heldBefore.map((r) => r.id).sort());
    const trained = await query<{ n: number }>(
      t,
      sql`select count(*)::int as n from training_pairs p join traffic tr on tr.id = p.traffic_id
           where p.run_id = ${id} and p.split = 'train' and tr.split = 'heldout'`,
    );
    expect(Number(trained[0]!.n)).toBe(0);
    await assertTrainingInvariants(t, id);
  });

  it("a later run does not classify again what an earlier run classified (categories are stored)", async () => {
    const before = sim.counts.classify;
    const id = await createQueuedRun(t, { ...SMALL, seed: 9 });
    await driveToEnd(() => runTraining(testTrainingDeps(t), id));
    // Same seed as an earlier run: the same candidates, all already classified.
    expect(sim.counts.classify).toBe(before);
  });

  it("the schedule starts a run once enough new instructions arrived since the last run", async () => {
    expect((await t.call("POST", "/v1/evaluators", { name: "sched" })).status).toBe(201);
    const sent: Array<Record<string, unknown>> = [];
    const jobs: JobQueue = {
      ensureQueue: async () => {},
      send: async (_name, data) => {
        sent.push(data);
        return "job";
      },
      work: async () => {},
      schedule: async () => {},
      stop: async () => {},
    };
    const deps = { ...t.deps, jobs, config: { ...t.config, training: { ...t.config.training, scheduleMinNew: 5, maxConcurrentRuns: 10 } } };
    const ingest = (n: number, prefix: string) => t.call("POST", "/v1/traffic", { evaluator: "sched", items: samplePool(n, prefix) });

    await ingest(4, "s");
    expect(await startScheduledRuns(deps)).toEqual([]);
    await ingest(2, "t");
    const [first] = await startScheduledRuns(deps);
    expect(first).toBeDefined();
    expect(sent).toEqual([{ runId: first }]);
    const run = await t.call("GET", `/v1/training/runs/${first}`);
    expect(run.json).toMatchObject({ trigger: "schedule", evaluator: "sched", pool_seq_at_start: expect.any(Number) });
    // While it is in progress, nothing else starts.
    await ingest(10, "u");
    expect(await startScheduledRuns(deps)).toEqual([]);
    await t.call("POST", `/v1/training/runs/${first}/cancel`);
    // 10 arrived after the first run's cursor: enough for another.
    const [second] = await startScheduledRuns(deps);
    expect(second).toBeDefined();
    await t.call("POST", `/v1/training/runs/${second}/cancel`);
    expect(await startScheduledRuns(deps)).toEqual([]);
  });
});
