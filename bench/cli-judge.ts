// `npm run bench:cli`: `selfjudge judge FILE` against the server's own batch throughput, and the
// CLI's peak memory as the file grows.
//
// One server (dist/node/server.js, PostgreSQL), one fake LLM at a fixed latency. Side by side in
// one run, each on its own fresh pairs (so no judgment comes from the cache):
//   1. server: /v1/judge/batch driven directly by the typed client, the CLI's defaults
//      (4 requests in flight × 100 pairs), measured pairs/s before and after the CLI's run — the
//      ceiling is their mean;
//   2. CLI: `node dist/cli.js judge pairs.jsonl --out results.jsonl` as a process, pairs/s,
//      peak RSS (GNU time's maximum resident set size) and its CPU time.
//   3. CLI peak RSS on a bigger file (BENCH_BIG, default 100,000 lines; 1,000 distinct pairs
//      repeated, so the server's cache answers most of them — its pairs/s is not comparable).
// Env: DATABASE_URL (the PostgreSQL server for a scratch database, dropped at the end; default
// postgres://postgres@127.0.0.1:5432/test),
// BENCH_PAIRS (10000), BENCH_BIG (100000), BENCH_LATENCY_MS (50), BENCH_CLI_NODE_FLAGS (Node flags
// for the CLI process only, e.g. "--max-semi-space-size=1"). Build first: npm run build.
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pLimit from "p-limit";
import { createClient } from "../src/client";
import { oracleJudge } from "../tests/fake-llm/judges";
import { startFakeLlm } from "../tests/fake-llm/server";
import { freePort } from "../tests/server/spawn-server";
import { createScratchPostgres } from "../tests/helpers/test-db";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAIRS = Number(process.env.BENCH_PAIRS ?? 10_000);
const BIG = Number(process.env.BENCH_BIG ?? 100_000);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 50);
const DB_SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dir = mkdtempSync(join(tmpdir(), "selfjudge-bench-cli-"));

const pair = (run: string, i: number) => ({
  id: `${run}-${i}`,
  instruction: `[${run}] question ${i}: what is the capital of France?`,
  response_a: i % 3 === 0 ? "GOOD: Paris." : "Lyon.",
  response_b: i % 3 === 0 ? "Lyon." : "GOOD: Paris.",
});

/** n lines; with `distinct`, the pairs repeat every `distinct` lines (unique ids), so the server answers repeats from its cache. */
async function writePairs(path: string, run: string, n: number, distinct = n): Promise<string> {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const line = JSON.stringify({ ...pair(run, i % distinct), id: `${run}-${i}` });
    if (!out.write(`${line}\n`)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  return path;
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI as a process under GNU time: wall seconds and peak RSS in MB. */
async function cliJudge(url: string, file: string, extra: string[] = []) {
  const out = join(dir, `${Date.now()}-results.jsonl`);
  const t0 = performance.now();
  const nodeFlags = (process.env.BENCH_CLI_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const r = await run("/usr/bin/time", ["-f", "MAXRSS_KB=%M CPU_S=%U+%S", process.execPath, ...nodeFlags, "dist/cli.js", "judge", file, "--out", out, "--quiet", "--json", ...extra], { SELFJUDGE_URL: url });
  const secs = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`cli exit ${r.code}: ${r.stderr.slice(-2000)}`);
  const rssMb = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)![1]) / 1024;
  const cpu = /CPU_S=([\d.]+)\+([\d.]+)/.exec(r.stderr)!;
  const cpuSecs = Number(cpu[1]) + Number(cpu[2]);
  const summary = JSON.parse(r.stdout);
  return { secs, rssMb, cpuSecs, judged: summary.judged as number, failed: summary.failed as number };
}

async function serverBatch(url: string, run: string, n: number) {
  const client = createClient({ baseUrl: url });
  const limit = pLimit(4);
  const t0 = performance.now();
  let judged = 0;
  const batches = [];
  for (let i = 0; i < n; i += 100) {
    const items = Array.from({ length: Math.min(100, n - i) }, (_, k) => {
      const { id: _id, ...p } = pair(run, i + k);
      return p;
    });
    batches.push(limit(async () => {
      const r = await client.judgeBatch({ items });
      judged += r.results.filter((x) => x.ok).length;
    }));
  }
  await Promise.all(batches);
  return { secs: (performance.now() - t0) / 1000, judged };
}

const scratch = await createScratchPostgres(DB_SERVER, "sj_bench_cli");
const DB = scratch.url;
const fake = await startFakeLlm({ behavior: oracleJudge, latencyMs: LATENCY });
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ["dist/node/server.js"], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(port), DATABASE_URL: DB, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "x", JUDGE_MODEL: "fake-judge", LOG_LEVEL: "warn", JOBS_ENABLED: "false", RATE_LIMIT_RPM: "0", LLM_CONCURRENCY: "256", JUDGE_BATCH_CONCURRENCY: "32" },
  stdio: ["ignore", "inherit", "inherit"],
});
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (i > 600) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const tag = `b${Date.now()}`;
  const file = await writePairs(join(dir, "pairs.jsonl"), `${tag}-cli`, PAIRS);
  const rate = (n: number, s: number) => n / s;
  // Each row is printed as soon as its phase ends, so a cut-short run still reports what it measured.
  console.log(`## selfjudge judge vs the server's batch throughput (fake LLM ${LATENCY} ms, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)})\n`);
  console.log("| run | pairs | judged | seconds | pairs/s | CLI peak RSS |");
  console.log("|---|---:|---:|---:|---:|---:|");
  // Server, CLI, server again: the ceiling is the mean of the two server runs around the CLI's,
  // so neither side gains from running first (empty tables, cold caches) or last.
  const srv1 = await serverBatch(url, `${tag}-srv1`, PAIRS);
  console.log(`| server /v1/judge/batch (client, 4 × 100), before | ${PAIRS} | ${srv1.judged} | ${srv1.secs.toFixed(1)} | ${rate(srv1.judged, srv1.secs).toFixed(0)} | - |`);
  const cli = await cliJudge(url, file);
  console.log(`| selfjudge judge (CLI process) | ${PAIRS} | ${cli.judged} | ${cli.secs.toFixed(1)} | ${rate(cli.judged, cli.secs).toFixed(0)} | ${cli.rssMb.toFixed(0)} MB |`);
  const srv2 = await serverBatch(url, `${tag}-srv2`, PAIRS);
  console.log(`| server /v1/judge/batch (client, 4 × 100), after | ${PAIRS} | ${srv2.judged} | ${srv2.secs.toFixed(1)} | ${rate(srv2.judged, srv2.secs).toFixed(0)} | - |`);
  const ceiling = (rate(srv1.judged, srv1.secs) + rate(srv2.judged, srv2.secs)) / 2;
  console.log(`\nCLI process CPU: ${cli.cpuSecs.toFixed(1)} s over ${cli.secs.toFixed(1)} s (${((cli.cpuSecs / cli.secs) * 100).toFixed(0)}% of one core)`);
  console.log(`\nCLI throughput / server throughput (mean of before and after): ${((rate(cli.judged, cli.secs) / ceiling) * 100).toFixed(0)}% (goal ≥ 90%); load ${loadavg()[0]!.toFixed(1)}\n`);
  // Memory, not speed: 1,000 distinct pairs repeated, so the server answers most lines from its
  // cache while the CLI still reads, sends, and writes every one of the BIG lines.
  const big = await writePairs(join(dir, "big.jsonl"), `${tag}-big`, BIG, 1000);
  const cliBig = await cliJudge(url, big);
  console.log(`| selfjudge judge (CLI process), ${BIG} lines | ${BIG} | ${cliBig.judged} | ${cliBig.secs.toFixed(1)} | ${rate(cliBig.judged, cliBig.secs).toFixed(0)} | ${cliBig.rssMb.toFixed(0)} MB |`);
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  await fake.close();
  await scratch.drop();
}
