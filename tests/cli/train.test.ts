import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { isTrainedJudge, samplePool, trainingFake } from "../fake-llm/training";
import { readJsonl, runCli, serveTestApp } from "./helpers";

// Each test spawns the CLI several times; on a loaded 2-core CI box a spawn can take seconds.
const SLOW = { timeout: 180_000 };

// Training from the terminal: `train start --watch` to the end, `runs list|show|cancel`, and
// `export RUN` — spawned CLI, real server on PGlite with pg-boss workers, the training fake LLM.
let fake: FakeLlm;
let server: Awaited<ReturnType<typeof serveTestApp>>;
let env: Record<string, string>;
const RUN = ["--sample-size", "24", "--samples-per-pair", "4", "--heldout-fraction", "0.3", "--concurrency", "4", "--seed", "5"];

beforeAll(async () => {
  // Trained judges are better than the seed, so the gate promotes the candidate.
  const sim = trainingFake({ accuracy: (req) => (isTrainedJudge(req) ? 0.95 : 0.6) });
  fake = await startFakeLlm({ behavior: sim.behavior });
  server = await serveTestApp({ llmUrl: fake.url, jobs: true, env: { LLM_TIMEOUT_MS: "30000" } });
  env = { SELFJUDGE_URL: server.url };
  const pool = samplePool(120, "cli");
  expect((await server.t.call("POST", "/v1/traffic", { items: pool })).status).toBe(200);
  expect((await server.t.call("POST", "/v1/evaluators", { name: "external-one" })).status).toBe(201);
  expect((await server.t.call("POST", "/v1/traffic", { evaluator: "external-one", items: pool })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe("selfjudge train start --watch", SLOW, () => {
  it("follows a run to completion with progress lines, then prints the per-iteration table", async () => {
    const run = await runCli(["train", "start", ...RUN, "--watch"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^training run \S+$/m);
    // Progress lines come from polling: a fast step may finish between two polls, so any step may
    // be the one seen, but some progress and the end must be.
    expect(run.stderr).toMatch(/^iteration 1\/1 (curate|synthesize|annotate|train|evaluate) \d+\/\d+/m);
    expect(run.stderr).toMatch(/^iteration 1\/1 completed$/m);
    expect(run.stdout).toMatch(/^status\s+completed$/m);
    expect(run.stdout).toMatch(/^ITERATION\s+CANDIDATE\s+STATUS\s+ACCURACY\s+BASELINE\s+GATE\s+PROMOTED$/m);
    expect(run.stdout).toMatch(/^1\s+v2\s+promoted\s+[\d.]+%\s+[\d.]+%\s+promote\s+true$/m);
    const id = /^run\s+(\S+)$/m.exec(run.stdout)![1]!;

    const list = await runCli(["runs", "list", "--json"], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).data.map((r: { id: string }) => r.id)).toEqual([id]);
    const show = await runCli(["--json", "runs", "show", id], env);
    const body = JSON.parse(show.stdout);
    expect(body).toMatchObject({ id, status: "completed" });
    // Finished runs cannot be canceled: the server's 409, exit 2.
    const cancel = await runCli(["runs", "cancel", id], env);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toMatch(/^error: 409 /m);

    // export writes the run's training data to stdout, one JSON document per line.
    const sft = await runCli(["export", id, "--format", "sft"], env);
    expect(sft.code, sft.stderr).toBe(0);
    const sftLines = readJsonl(sft.stdout);
    expect(sftLines).toHaveLength(body.counters.kept);
    expect(sftLines.every((l) => l.messages.at(-1).role === "assistant")).toBe(true);
    expect(sft.stderr).toBe(`exported ${sftLines.length} sft lines of run ${id}\n`);
    const dpo = await runCli(["export", id, "--format", "dpo", "--iteration", "1"], env);
    expect(readJsonl(dpo.stdout)).toHaveLength(body.counters.dpo_pairs);
    expect((await runCli(["export", id, "--format", "kto"], env)).code).toBe(2);
    expect((await runCli(["export", "00000000-0000-4000-8000-000000000000"], env)).code).toBe(2);
  });

  it("--watch on an external-backend run stops at waiting_external and says what it needs (exit 0)", async () => {
    const run = await runCli(["train", "start", "-e", "external-one", ...RUN, "--backend", "external", "--watch", "--json", "-q"], env);
    expect(run.code, run.stderr).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body).toMatchObject({ evaluator: "external-one", status: "waiting_external" });
    expect(body.waiting_for).toContain("training_run_id");
    // A waiting run can be canceled.
    const cancel = await runCli(["runs", "cancel", body.id, "--json"], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(JSON.parse(cancel.stdout).id).toBe(body.id);
  });

  it("exits 2 on bad parameters before anything starts", async () => {
    expect((await runCli(["train", "start", "--iterations", "0"], env)).code).toBe(2);
    expect((await runCli(["train", "start", "--params", "{nope"], env)).code).toBe(2);
    const rejected = await runCli(["train", "start", "--params", '{"temperature": 9}'], env);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/^error: 422 /m);
    expect(rejected.stderr).toMatch(/^ {2}temperature: /m);
    const runs = await runCli(["runs", "list", "--json"], env);
    expect(JSON.parse(runs.stdout).data).toHaveLength(1);
  });
});
