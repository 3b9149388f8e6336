import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { openPostgres, type Database } from "../../src/db/client";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { insertRunWithinCapacity } from "../../src/db/queries/training";
import { createEvaluation, runEvaluation } from "../../src/evaluation";
import { silentLogger } from "../../src/lib/logger";
import { systemClock } from "../../src/lib/clock";
import { createOpenAiLlmClient } from "../../src/llm/openai-client";
import { completeParams, RunParamsSchema } from "../../src/training/params";
import * as worker from "../../src/worker";
import { heldoutItems } from "../evaluation/helpers";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createGate, samplePool } from "../fake-llm/training";
import { createScratchPostgres, ON_POSTGRES } from "../helpers/test-db";
import { runMigrateCli } from "../server/spawn-server";
import { finished, waitForRun } from "../training/helpers";
import { deploymentBehavior } from "./fake-behavior";
import { startWranglerDev, type WranglerDev } from "./wrangler-dev";

// The whole product on its Workers deploy target, locally: `wrangler dev` (workerd) with the
// Workflows and the Cron Trigger, PostgreSQL through the Hyperdrive binding, the fake LLM over
// HTTP. Judge, evaluation (same numbers as the Node runner), a training run promoted through the
// gate, a canceled run, and a cron tick that sweeps and schedules. PostgreSQL leg only (Hyperdrive
// needs a PostgreSQL server); the wrangler.toml check runs on both legs.

const ADMIN_KEY = "wrangler-dev-admin-key-0123456789";
const STEP_CALLS = 20;

describe("wrangler.toml", () => {
  it("declares the Hyperdrive binding, both Workflows with classes src/worker.ts exports, and the Cron Trigger", () => {
    const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    expect(toml).toMatch(/\[\[hyperdrive\]\]\s*\nbinding = "HYPERDRIVE"/);
    for (const [binding, cls] of [
      ["TRAINING_WORKFLOW", "TrainingWorkflow"],
      ["EVALUATION_WORKFLOW", "EvaluationWorkflow"],
    ] as const) {
      expect(toml).toMatch(new RegExp(`binding = "${binding}"\\s*\\nclass_name = "${cls}"`));
      expect(typeof worker[cls]).toBe("function");
    }
    expect(toml).toMatch(/\[triggers\]\s*\ncrons = \["[^"]+"\]/);
    expect(typeof worker.default.scheduled).toBe("function");
  });
});

if (ON_POSTGRES) {
  describe("wrangler dev: the product on workerd", () => {
    let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
    let fake: FakeLlm;
    let dev: WranglerDev;
    let db: Database;
    const gate = createGate();

    beforeAll(async () => {
      scratch = await createScratchPostgres(process.env.DATABASE_URL, "sj_wrangler");
      const migrated = await runMigrateCli({ DATABASE_URL: scratch.url, JUDGE_MODEL: "fake-judge" });
      expect(migrated.code, migrated.output).toBe(0);
      fake = await startFakeLlm({ behavior: deploymentBehavior({ annotationGate: () => gate.wait() }) });
      db = await openPostgres(scratch.url, { max: 2 });
      dev = await startWranglerDev({
        // Hyperdrive insists on a password; trust auth ignores it.
        databaseUrl: scratch.url.replace("postgres@", "postgres:postgres@"),
        adminKey: ADMIN_KEY,
        vars: {
          OPENAI_BASE_URL: fake.url,
          LOG_LEVEL: "warn",
          WORKFLOW_STEP_LLM_CALLS: String(STEP_CALLS),
          TRAINING_SCHEDULE_MIN_NEW: "5",
        },
      });
    }, 120_000);
    afterAll(async () => {
      gate.release();
      await dev?.stop();
      await db?.close();
      await fake?.close();
      await scratch?.drop();
    });

    const reader = { call: (method: "GET", path: string) => dev.call(method, path) };

    it("judges a pair through Hyperdrive", async () => {
      expect((await dev.call("GET", "/healthz")).json).toMatchObject({ status: "ok", database: "postgres" });
      const judged = await dev.call("POST", "/v1/judge", { instruction: "Capital of France?", response_a: "Lyon", response_b: "Paris GOOD" });
      expect(judged.status, judged.text).toBe(200);
      expect(judged.json).toMatchObject({ verdict: "B", position_consistent: true, version: { name: "v1" } });
    });

    it("runs an evaluation as a Workflow to the same numbers as the Node runner", async () => {
      expect((await dev.call("POST", "/v1/evaluators", { name: "ev" })).status).toBe(201);
      expect((await dev.call("POST", "/v1/heldout", { evaluator: "ev", items: heldoutItems(24) })).json).toMatchObject({ inserted: 24 });
      const cand = await dev.call("POST", "/v1/versions", { evaluator: "ev", model: "oracle" });
      expect(cand.status).toBe(201);
      const started = await dev.call("POST", "/v1/evaluations", { evaluator: "ev", version: cand.json.name });
      expect(started.status, started.text).toBe(202);
      let ev: any;
      for (const deadline = Date.now() + 60_000; ; ) {
        ev = (await dev.call("GET", `/v1/evaluations/${started.json.id}`)).json;
        if (["completed", "failed", "canceled"].includes(ev.status) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(ev.status, JSON.stringify(ev)).toBe("completed");
      expect(ev.progress).toEqual({ done: 48, total: 48 });

      // The same evaluation run by the Node runner (what the pg-boss handler calls) on the same database.
      const config = parseConfig({ OPENAI_BASE_URL: fake.url, JUDGE_MODEL: "fake-judge", LOG_LEVEL: "silent" });
      const deps = { config, database: db, llm: createOpenAiLlmClient(config.llm), clock: systemClock, logger: silentLogger };
      const evaluator = (await findEvaluatorByName(db.db, "ev"))!;
      const onNode = await createEvaluation(deps, { evaluatorId: evaluator.id, version: cand.json.id });
      expect((await runEvaluation(deps, onNode.id)).status).toBe("completed");
      const node = (await dev.call("GET", `/v1/evaluations/${onNode.id}`)).json;
      // Equal to 12 significant digits: workerd's V8 and Node's may differ in the last bit of Math.exp/log.
      const round = (v: unknown): unknown =>
        typeof v === "number" ? Number(v.toPrecision(12)) : Array.isArray(v) ? v.map(round) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])) : v;
      const numbers = (r: any) => round({ n: r.n, candidate: r.candidate, baseline: r.baseline, comparison: r.comparison, decision: r.decision });
      expect(numbers(ev.result)).toEqual(numbers(node.result));
      expect(ev.result.candidate.accuracy).toBe(1);
    }, 90_000);

    it("runs a few-shot training run as a Workflow, promoted through the gate", async () => {
      expect((await dev.call("POST", "/v1/traffic", { items: samplePool(120) })).status).toBe(200);
      const start = await dev.call("POST", "/v1/training/runs", {
        sample_size: 24,
        samples_per_pair: 4,
        heldout_fraction: 0.3,
        heldout_size: 30,
        concurrency: 4,
        seed: 11,
        backend: "few-shot",
        few_shot_k: 4,
      });
      expect(start.status, start.text).toBe(202);
      const run = await waitForRun(reader, start.json.id, finished, 90_000);
      expect(run.error).toBeNull();
      expect(run.status).toBe("completed");
      expect(run.iterations[0].status).toBe("promoted");
      expect((await dev.call("GET", "/v1/versions/active")).json.id).toBe(run.iterations[0].candidate.id);
    }, 120_000);

    it("cancels a running run mid-way", async () => {
      gate.hold();
      const start = await dev.call("POST", "/v1/training/runs", { sample_size: 24, samples_per_pair: 4, heldout_fraction: 0.3, concurrency: 2 });
      expect(start.status, start.text).toBe(202);
      await waitForRun(reader, start.json.id, (r) => r.current_step === "annotate" && gate.waiting > 0, 60_000);
      const cancel = await dev.call("POST", `/v1/training/runs/${start.json.id}/cancel`);
      expect(cancel.status).toBe(200);
      expect(cancel.json.cancel_requested).toBe(true);
      gate.release();
      const run = await waitForRun(reader, start.json.id, finished, 30_000);
      expect(run.status).toBe("canceled");
      expect(run.counters.pairs_annotated).toBeLessThan(run.counters.pairs_built);
    }, 90_000);

    it("a cron tick resumes a run whose instance is gone and starts a scheduled run", async () => {
      // A run in the database with no Workflow instance, as if its instance had died.
      const evaluator = (await findEvaluatorByName(db.db, "default"))!;
      const params = completeParams(RunParamsSchema.parse({ sample_size: 8, samples_per_pair: 2, heldout_fraction: 0.3, concurrency: 2, seed: 3 }), {
        generatorModel: "fake-judge",
        randomSeed: () => 1,
      });
      const orphan = await insertRunWithinCapacity(db.db, { evaluatorId: evaluator.id, params: params as never, trigger: "api" }, 10);
      // Fresh traffic for "ev" past TRAINING_SCHEDULE_MIN_NEW.
      expect((await dev.call("POST", "/v1/traffic", { evaluator: "ev", items: samplePool(10, "cron") })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await getRunStatus(orphan!.id))).toBe("queued");

      const tick = await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
      expect(tick.status).toBe(200);
      const resumed = await waitForRun(reader, orphan!.id, finished, 60_000);
      expect(["completed", "failed"]).toContain(resumed.status);
      let scheduled: any;
      for (const deadline = Date.now() + 30_000; !scheduled && Date.now() < deadline; ) {
        scheduled = (await dev.call("GET", "/v1/training/runs?evaluator=ev")).json.data.find((r: any) => r.trigger === "schedule");
        if (!scheduled) await new Promise((r) => setTimeout(r, 200));
      }
      expect(scheduled, dev.output().slice(-3000)).toBeDefined();
      await dev.call("POST", `/v1/training/runs/${scheduled.id}/cancel`);
    }, 90_000);

    async function getRunStatus(id: string): Promise<string> {
      return (await dev.call("GET", `/v1/training/runs/${id}`)).json.status;
    }
  });
}
