// `npx tsx bench/workers.ts`: selfjudge on Cloudflare Workers, measured locally under
// `wrangler dev` (workerd, local Workflows, PostgreSQL through the Hyperdrive binding).
//
// 1. Judge latency added by the Worker over the fake LLM, next to the Node server's, in one run:
//    sequential POST /v1/judge (cache off: 2 LLM requests in parallel, database writes), the
//    three targets interleaved request by request (Node server, Worker, the 2 LLM requests
//    alone), so machine load hits all alike.
// 2. Training annotate throughput on Workers as a share of its bound: annotation requests take
//    ANNOTATE_MS each at the fake; one Workflow step may keep 5 in flight (6 connections, one is
//    PostgreSQL), so the bound is 5 / ANNOTATE_MS. Measured from the fake's request log, across
//    the step boundaries WORKFLOW_STEP_LLM_CALLS imposes.
//
// Env: DATABASE_URL (server for the scratch database; default postgres://postgres@127.0.0.1:5432/test),
// BENCH_REQUESTS (300 per target), BENCH_ANNOTATE_MS (100), BENCH_SAMPLE_SIZE (300 pairs),
// BENCH_READY_TIMEOUT_MS (240000: how long the Node server and wrangler dev may take to start),
// BENCH_STEP_LLM_CALLS (WORKFLOW_STEP_LLM_CALLS for the Worker; default: wrangler.toml's).
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { startFakeLlm } from "../tests/fake-llm/server";
import { samplePool } from "../tests/fake-llm/training";
import { createScratchPostgres } from "../tests/helpers/test-db";
import { runMigrateCli, startServer } from "../tests/server/spawn-server";
import { deploymentBehavior } from "../tests/workers/fake-behavior";
import { startWranglerDev } from "../tests/workers/wrangler-dev";

const SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const ANNOTATE_MS = Number(process.env.BENCH_ANNOTATE_MS ?? 100);
const SAMPLE_SIZE = Number(process.env.BENCH_SAMPLE_SIZE ?? 300);
// Starting the Node server and workerd can take minutes on a loaded, shared machine.
// The per-step LLM-call budget under test (wrangler.toml's WORKFLOW_STEP_LLM_CALLS unless set).
const STEP_LLM_CALLS = process.env.BENCH_STEP_LLM_CALLS;
const stepCallsInUse =
  STEP_LLM_CALLS ?? /WORKFLOW_STEP_LLM_CALLS\s*=\s*"(\d+)"/.exec(readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8"))?.[1] ?? "200";
const READY_TIMEOUT_MS = Number(process.env.BENCH_READY_TIMEOUT_MS ?? 240_000);
const ADMIN_KEY = "bench-workers-admin-key-0123456789";
const WORKERS_LLM_CONNECTIONS = 5;
const BODY = JSON.stringify({
  instruction: "What is the capital of France?",
  response_a: "The capital of France is Lyon.",
  response_b: "The capital of France is Paris. GOOD",
  cache: false,
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function timed(fn: () => Promise<Response>): Promise<number> {
  const t0 = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return performance.now() - t0;
}

const scratch = await createScratchPostgres(SERVER, "sj_bench_workers");
const cleanups: Array<() => Promise<unknown>> = [() => scratch.drop()];
try {
  const migrated = await runMigrateCli({ DATABASE_URL: scratch.url, JUDGE_MODEL: "fake-judge" });
  if (migrated.code !== 0) throw new Error(migrated.output);
  const fake = await startFakeLlm({ behavior: deploymentBehavior({ annotationGate: () => sleep(ANNOTATE_MS) }) });
  cleanups.unshift(() => fake.close());
  const node = await startServer({ DATABASE_URL: scratch.url, SELFJUDGE_ADMIN_KEY: ADMIN_KEY, OPENAI_BASE_URL: fake.url, JOBS_ENABLED: "false" });
  cleanups.unshift(() => node.stop());
  await node.ready(READY_TIMEOUT_MS);
  const dev = await startWranglerDev({
    databaseUrl: scratch.url.replace("postgres@", "postgres:postgres@"),
    adminKey: ADMIN_KEY,
    vars: { OPENAI_BASE_URL: fake.url, LOG_LEVEL: "info", ...(STEP_LLM_CALLS ? { WORKFLOW_STEP_LLM_CALLS: STEP_LLM_CALLS } : {}) },
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  cleanups.unshift(() => dev.stop());

  // ---- 1. judge latency -------------------------------------------------------------------
  const headers = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };
  const llmPair = async () => {
    const chat = (order: string) =>
      fetch(`${fake.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer x" },
        body: JSON.stringify({ model: "fake-judge", messages: [{ role: "user", content: `${order} Paris GOOD or Lyon?` }] }),
      });
    const t0 = performance.now();
    await Promise.all([chat("ab"), chat("ba")].map(async (p) => (await p).arrayBuffer()));
    return performance.now() - t0;
  };
  const targets: Record<string, () => Promise<number>> = {
    "Node server": () => timed(() => fetch(`${node.url}/v1/judge`, { method: "POST", headers, body: BODY })),
    "Worker (wrangler dev)": () => timed(() => fetch(`${dev.url}/v1/judge`, { method: "POST", headers, body: BODY })),
    "2 LLM requests alone": llmPair,
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  for (let i = 0; i < 20; i++) for (const fn of Object.values(targets)) await fn(); // warm-up
  const load0 = loadavg()[0]!;
  for (let i = 0; i < REQUESTS; i++) for (const [k, fn] of Object.entries(targets)) samples[k]!.push(await fn());
  const floor = pct(samples["2 LLM requests alone"]!, 50);

  // ---- 2. annotate throughput on Workers ---------------------------------------------------
  for (let i = 0; i < SAMPLE_SIZE * 2; i += 1000) {
    const items = samplePool(Math.min(1000, SAMPLE_SIZE * 2 - i), `b${i}-`);
    const res = await dev.call("POST", "/v1/traffic", { items });
    if (res.status !== 200) throw new Error(res.text);
  }
  const start = await dev.call("POST", "/v1/training/runs", {
    sample_size: SAMPLE_SIZE,
    samples_per_pair: 8,
    heldout_fraction: 0.1,
    heldout_size: 20,
    concurrency: 8,
    seed: 1,
  });
  if (start.status !== 202) throw new Error(start.text);
  let run: any;
  for (;;) {
    run = (await dev.call("GET", `/v1/training/runs/${start.json.id}`)).json;
    const annotated = run.progress?.annotate && run.progress.annotate.done === run.progress.annotate.total && run.current_step !== "annotate";
    if (annotated || ["completed", "failed", "canceled"].includes(run.status)) break;
    await sleep(500);
  }
  await dev.call("POST", `/v1/training/runs/${start.json.id}/cancel`);
  const annotateCalls = fake.calls.filter((c) => {
    const b = c.body as { temperature?: number; messages?: unknown } | undefined;
    return c.path === "/v1/chat/completions" && (b?.temperature ?? 0) > 0 && JSON.stringify(b?.messages ?? "").includes("[The Start of Assistant A");
  });
  const first = annotateCalls[0]!.at;
  const last = annotateCalls[annotateCalls.length - 1]!.at;
  const spanS = (last - first + ANNOTATE_MS) / 1000;
  const throughput = annotateCalls.length / spanS;
  const bound = WORKERS_LLM_CONNECTIONS / (ANNOTATE_MS / 1000);
  const load1 = loadavg()[0]!;

  // ---- report ------------------------------------------------------------------------------
  const rows = Object.entries(samples).map(([k, xs]) => {
    const p50 = pct(xs, 50);
    return `| ${k} | ${p50.toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${k.startsWith("2 LLM") ? "—" : (p50 - floor).toFixed(1)} |`;
  });
  const report = [
    `One run, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? "?"}, Node ${process.version}; load average ${load0.toFixed(1)} → ${load1.toFixed(1)}.`,
    "",
    `Judge latency, ${REQUESTS} sequential requests per target, interleaved (ms):`,
    "",
    "| target | p50 | p95 | added over the LLM requests (p50) |",
    "|---|---:|---:|---:|",
    ...rows,
    "",
    `Annotate on Workers: ${annotateCalls.length} annotation requests of ${ANNOTATE_MS} ms in ${spanS.toFixed(2)} s = ${throughput.toFixed(1)}/s;` +
      ` bound ${WORKERS_LLM_CONNECTIONS} in flight / ${ANNOTATE_MS} ms = ${bound.toFixed(1)}/s → **${((100 * throughput) / bound).toFixed(1)}%**` +
      ` (sample_size ${SAMPLE_SIZE}, 8 samples a pair as 2 requests, run concurrency 8, WORKFLOW_STEP_LLM_CALLS ${stepCallsInUse}).`,
  ].join("\n");
  console.log(report);
  await mkdir("bench/results", { recursive: true });
  await writeFile(
    `bench/results/workers-${Date.now()}.json`,
    JSON.stringify({ samples, annotate: { calls: annotateCalls.length, spanS, throughput, bound }, load: [load0, load1] }, null, 2),
  );
} finally {
  for (const c of cleanups) await c().catch(() => undefined);
}
