// `npm run bench:eval`: benchmark evaluation throughput against the fake LLM, as a share of the
// concurrency/latency bound (issue 8; goal ≥ 90% at concurrency 16).
//
//   npm run bench:eval                                   # 2,985 items (RewardBench `filtered` size)
//   BENCH_ITEMS=50 npm run bench:eval                    # smoke run
//
// What runs: the real server (src/server.ts, its own process, jobs on, a scratch PostgreSQL
// database) and the fake OpenAI-compatible LLM in another process of its own (this file with
// --serve-fake), which answers every chat request BENCH_LATENCY_MS after it arrived, as an oracle
// (it prefers the answer marked GOOD). The bench imports a generated RewardBench-format JSONL
// file (POST /v1/datasets, the `filtered` split's columns and subset mix), creates a version and
// runs POST /v1/evaluations {dataset, version} (swap on, samples BENCH_SAMPLES).
//
// Concurrency: an evaluation has no concurrency parameter of its own. On Node it keeps
// floor(LLM_CONCURRENCY / 4) (pair, version) units in flight (src/evaluation/runner.ts: a quarter
// of the LLM budget, leaving room for live /v1/judge traffic), and each unit sends its two orders
// side by side (samples ride in one request as n). So C LLM calls in flight need
// LLM_CONCURRENCY = 4 × C / 2 = 2C; the bench sets that and checks the fake's peak in-flight count.
//
// Bound: C calls in flight / latency = C / L calls per second. Reported: calls the fake received
// divided by (a) the span from the first call's arrival to the last call's answer (the judging
// phase), (b) the evaluation's started_at → finished_at (adds paging, writes and scoring) and (c)
// created_at → finished_at (adds the job queue's pick-up), each as a share of the bound.
//
// Env: DATABASE_URL (server for the scratch database; default postgres://postgres@127.0.0.1:5432/test),
// BENCH_ITEMS (2985), BENCH_LATENCY_MS (100), BENCH_CONCURRENCY (16 LLM calls in flight),
// BENCH_SAMPLES (1), BENCH_READY_TIMEOUT_MS (120000), BENCH_SERVER_PROF (a folder: CPU-profile the
// server there). Markdown to stdout, raw JSON to bench/results/.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { judgment, oracleLetter } from "../tests/fake-llm/judges";
import { startFakeLlm } from "../tests/fake-llm/server";
import { createScratchPostgres } from "../tests/helpers/test-db";
import { runMigrateCli, startServer } from "../tests/server/spawn-server";
import { rewardbenchRow } from "./rewardbench-rows";

const SELF = fileURLToPath(import.meta.url);
const SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const ITEMS = Number(process.env.BENCH_ITEMS ?? 2985);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1);
const READY_TIMEOUT_MS = Number(process.env.BENCH_READY_TIMEOUT_MS ?? 120_000);
const ADMIN_KEY = "bench-eval-admin-key-0123456789abcdef";
const CALLS_PER_UNIT = 2; // swap: both orders side by side, samples as n in one request
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- the fake LLM, in its own process ----------------------------------------------------------

interface FakeStats {
  calls: number;
  first: number;
  last: number;
  busyMs: number;
  maxInFlight: number;
}

async function serveFake(): Promise<void> {
  let stats: FakeStats = { calls: 0, first: Infinity, last: 0, busyMs: 0, maxInFlight: 0 };
  let inFlight = 0;
  const fake = await startFakeLlm({
    behavior: async (req) => {
      // The latency counts from arrival, so the answer leaves LATENCY ms after the request came in.
      const started = now();
      inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      stats.first = Math.min(stats.first, started);
      const reply = judgment(oracleLetter(req));
      const wait = LATENCY - (now() - started);
      if (wait > 0) await sleep(wait);
      inFlight -= 1;
      const ended = now();
      stats.calls += 1;
      stats.busyMs += ended - started;
      stats.last = Math.max(stats.last, ended);
      return reply;
    },
  });
  fake.registerRoute({ method: "GET", path: "/__stats", handle: () => ({ status: 200, body: stats }) });
  fake.registerRoute({
    method: "POST",
    path: "/__reset",
    handle: () => {
      stats = { calls: 0, first: Infinity, last: 0, busyMs: 0, maxInFlight: 0 };
      return { status: 200, body: {} };
    },
  });
  // The recorded-call log is not needed here and would grow with every request.
  setInterval(() => fake.calls.splice(0), 1000).unref();
  process.on("SIGTERM", () => process.exit(0));
  console.log(JSON.stringify({ url: fake.url }));
}

async function startFakeProcess(): Promise<{ url: string; stats(): Promise<FakeStats>; reset(): Promise<void>; close(): void }> {
  const proc = spawn(process.execPath, ["--import", "tsx", SELF, "--serve-fake"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, BENCH_LATENCY_MS: String(LATENCY) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.once("data", (d: Buffer) => resolve((JSON.parse(d.toString("utf8").split("\n")[0]!) as { url: string }).url));
    proc.once("exit", (code) => reject(new Error(`fake LLM exited with ${code}`)));
  });
  const root = url.replace(/\/v1$/, "");
  return {
    url,
    stats: async () => (await (await fetch(`${root}/__stats`)).json()) as FakeStats,
    reset: async () => void (await fetch(`${root}/__reset`, { method: "POST", body: "{}" })),
    close: () => void proc.kill(),
  };
}

// ---- the dataset ---------------------------------------------------------------------------------

/** The dataset as JSONL; GOOD marks each chosen answer for the oracle. */
function rewardbenchJsonl(rows: number): string {
  const lines = Array.from({ length: rows }, (_, i) => JSON.stringify(rewardbenchRow(i, { markChosen: true })));
  return `${lines.join("\n")}\n`;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the file (11 and 12 after the command name), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Seconds a process has spent runnable but waiting for a CPU (/proc/<pid>/schedstat, Linux); null elsewhere. */
function runQueueSeconds(pid: number | undefined): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e9;
  } catch {
    return null;
  }
}

/** Waits for /healthz (the "listening" line is an info log, silenced here). */
async function healthy(url: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (gone) throw new Error("the server exited before it was ready");
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`server not ready after ${READY_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

// ---- the run -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const llmConcurrency = Math.ceil((4 * CONCURRENCY) / CALLS_PER_UNIT);
  const scratch = await createScratchPostgres(SERVER, "sj_bench_eval");
  const cleanups: Array<() => Promise<unknown> | void> = [() => scratch.drop()];
  try {
    const migrated = await runMigrateCli({ DATABASE_URL: scratch.url, JUDGE_MODEL: "fake-judge" });
    if (migrated.code !== 0) throw new Error(migrated.output);
    const fake = await startFakeProcess();
    cleanups.unshift(() => fake.close());
    const server = await startServer({
      DATABASE_URL: scratch.url,
      SELFJUDGE_ADMIN_KEY: ADMIN_KEY,
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: "bench",
      JUDGE_MODEL: "fake-judge",
      LLM_CONCURRENCY: String(llmConcurrency),
      // Warnings only: per-request info logs would be work the bench measures, not evaluation work.
      LOG_LEVEL: "warn",
      ...(process.env.BENCH_SERVER_PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_SERVER_PROF}` } : {}),
    });
    cleanups.unshift(() => server.stop());
    await healthy(server.url, server.exited);
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };
    const call = async (method: string, path: string, body?: unknown, contentType?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...headers, ...(contentType ? { "content-type": contentType } : {}) },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
    };

    const imported = await call("POST", "/v1/datasets?name=bench-rb&format=rewardbench", rewardbenchJsonl(ITEMS), "application/x-ndjson");
    if (imported.status !== 201) throw new Error(`import: ${imported.status} ${imported.text}`);
    const version = await call("POST", "/v1/versions", { model: "fake-judge" });
    if (version.status !== 201) throw new Error(`version: ${version.status} ${version.text}`);

    await fake.reset();
    const load0 = loadavg()[0]!;
    const cpu0 = cpuSeconds(server.child.pid);
    const wait0 = runQueueSeconds(server.child.pid);
    const t0 = now();
    const created = await call("POST", "/v1/evaluations", { dataset: "bench-rb", version: version.json.name, samples: SAMPLES });
    if (created.status !== 202) throw new Error(`evaluation: ${created.status} ${created.text}`);
    let ev: any;
    for (;;) {
      ev = (await call("GET", `/v1/evaluations/${created.json.id}`)).json;
      if (["completed", "failed", "canceled"].includes(ev.status)) break;
      await sleep(200);
    }
    const wallS = (now() - t0) / 1000;
    const cpu1 = cpuSeconds(server.child.pid);
    // The server is one event loop: near 1 core busy means it is CPU-bound, not waiting on the LLM.
    const serverCpuS = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
    // Time it was ready to run but the machine gave it no CPU: a loaded machine, not the product.
    const wait1 = runQueueSeconds(server.child.pid);
    const serverWaitS = wait0 !== null && wait1 !== null ? wait1 - wait0 : null;
    const load1 = loadavg()[0]!;
    if (ev.status !== "completed") throw new Error(`evaluation ${ev.status}: ${ev.error}`);
    const s = await fake.stats();

    const bound = CONCURRENCY / (LATENCY / 1000);
    const ms = (iso: string) => Date.parse(iso);
    const spans = {
      judging: (s.last - s.first) / 1000,
      run: (ms(ev.finished_at) - ms(ev.started_at)) / 1000,
      endToEnd: (ms(ev.finished_at) - ms(ev.created_at)) / 1000,
    };
    const share = (seconds: number) => s.calls / seconds / bound;
    const meanInFlight = s.busyMs / (s.last - s.first);
    const expectedCalls = ITEMS * CALLS_PER_UNIT;
    const rows = [
      ["judging phase (first call in → last answer out)", spans.judging],
      ["run (started_at → finished_at)", spans.run],
      ["end to end (created_at → finished_at)", spans.endToEnd],
    ] as const;
    const report = [
      `One run, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? "?"}, Node ${process.version}; ` +
        `load average ${load0.toFixed(1)} → ${load1.toFixed(1)}; PostgreSQL.`,
      "",
      `Benchmark evaluation of ${ITEMS.toLocaleString("en")} RewardBench pairs (swap, samples ${SAMPLES}): ` +
        `${s.calls.toLocaleString("en")} LLM calls (expected ${expectedCalls.toLocaleString("en")}) of ${LATENCY} ms; ` +
        `concurrency ${CONCURRENCY} calls in flight (LLM_CONCURRENCY ${llmConcurrency} → ${llmConcurrency / 4} pairs in flight × 2 orders); ` +
        `peak in flight at the fake ${s.maxInFlight}, mean ${meanInFlight.toFixed(1)}. ` +
        `Bound ${CONCURRENCY} / ${LATENCY} ms = ${bound.toFixed(0)} calls/s. Overall score ${ev.result?.benchmark?.overall?.score ?? "?"} (oracle judge: 1).`,
      "",
      "| span | seconds | calls/s | share of bound |",
      "|---|---:|---:|---:|",
      ...rows.map(([label, sec]) => `| ${label} | ${sec.toFixed(2)} | ${(s.calls / sec).toFixed(1)} | **${(100 * share(sec)).toFixed(1)}%** |`),
      "",
      `Client-side wall time (POST → completed seen, 200 ms polling): ${wallS.toFixed(2)} s.` +
        (serverCpuS === null
          ? ""
          : ` Server CPU meanwhile: ${serverCpuS.toFixed(2)} s (${((100 * serverCpuS) / wallS).toFixed(0)}% of one core, ` +
            `${((1000 * serverCpuS) / s.calls).toFixed(1)} ms per LLM call); one event loop near 100% of a core is CPU-bound.`) +
        (serverWaitS === null ? "" : ` Server runnable but waiting for a CPU: ${serverWaitS.toFixed(2)} s (${((100 * serverWaitS) / wallS).toFixed(0)}% of the wall time; near 0 on a quiet machine).`),
    ].join("\n");
    console.log(report);
    await mkdir("bench/results", { recursive: true });
    await writeFile(
      `bench/results/benchmark-eval-${Date.now()}.json`,
      JSON.stringify(
        { items: ITEMS, latencyMs: LATENCY, concurrency: CONCURRENCY, llmConcurrency, samples: SAMPLES, fake: s, spans, bound, wallS, serverCpuS, serverWaitS, load: [load0, load1], progress: ev.progress },
        null,
        2,
      ),
    );
  } finally {
    for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
  }
}

if (process.argv[2] === "--serve-fake") await serveFake();
else await main();
