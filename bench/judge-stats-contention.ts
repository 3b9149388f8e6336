// `npx tsx bench/judge-stats-contention.ts`: POST /v1/judge at BENCH_CONNECTIONS (16) for
// BENCH_SECONDS (5) each, cache on (every request a hit) and cache off, against the production
// wiring on a scratch PostgreSQL database and an instant fake LLM. Written to compare the daily
// stats write on the request path (one upsert of the same row per request) with the recorder that
// flushes in the background: same script, same load, before and after. Prints one line per load.
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { oracleJudge } from "../tests/fake-llm/judges";
import { startFakeLlm } from "../tests/fake-llm/server";
import { createScratchPostgres } from "../tests/helpers/test-db";

const OVERHEAD = fileURLToPath(new URL("./judge-overhead.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const BODY = { instruction: "What is the capital of France?", response_a: "Lyon.", response_b: "Paris. GOOD" };

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const scratch = await createScratchPostgres(serverUrl, "sj_bench");
  const llm = await startFakeLlm({ behavior: oracleJudge });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const proc = spawn(process.execPath, ["--import", "tsx", OVERHEAD, "serve", "app", String(port)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATABASE_URL: scratch.url, OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: "bench", JUDGE_MODEL: "fake-judge", LOG_LEVEL: "info", JOBS_ENABLED: "false" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let answered = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
      proc.once("exit", (code) => reject(new Error(`server exited (${code})`)));
    });
    const url = `http://127.0.0.1:${port}/v1/judge`;
    for (const cache of [true, false]) {
      const body = JSON.stringify({ ...BODY, cache });
      const warm = await autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body, connections, duration: 1 });
      answered += warm.requests.total;
      const r = await autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body, connections, duration: seconds });
      answered += r.requests.total;
      const bad = r.non2xx + r.errors + r.timeouts;
      console.log(
        `cache ${cache ? "on " : "off"} c=${connections} ${seconds}s: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests.total} requests, ${bad} bad, load1 ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  } finally {
    await new Promise<void>((r) => {
      if (proc.exitCode !== null) return r();
      proc.once("exit", () => r());
      proc.kill("SIGTERM");
      setTimeout(() => proc.kill("SIGKILL"), 10_000).unref();
    });
    // After a graceful stop every answered call must be counted (requests cut off by the end of a
    // load may have been served too, hence "at least").
    const { default: postgres } = await import("postgres");
    const q = postgres(scratch.url, { max: 1, onnotice: () => {} });
    const [row] = await q`select coalesce(sum(requests), 0)::int as n from judge_daily_stats`;
    await q.end();
    console.log(`judge_daily_stats.requests after SIGTERM: ${row?.n} (responses seen: ${answered})`);
    await llm.close();
    await scratch.drop();
  }
}

await main();
