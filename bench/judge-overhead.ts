// `npm run bench:judge`: what selfjudge adds on top of the LLM call it makes.
//
// 1. Throughput and latency of POST /v1/judge (cache off, so the LLM path and the database
//    writes run) against an instant fake OpenAI-compatible server, on PostgreSQL, next to a
//    bare Hono route on the same machine answering with the same JSON.
// 2. LLM requests per judgment for swap on/off × samples 1/5, with a provider that honours `n`
//    and one that does not.
//
// The app (or the bare route) runs alone in a child process with the production wiring; this
// process runs autocannon and the fake LLM. Prints a Markdown report; raw numbers go to
// bench/results/. Env: DATABASE_URL (server to create a scratch database on; default
// postgres://postgres@127.0.0.1:5432/test), BENCH_CONNECTIONS (10), BENCH_SECONDS (10).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { oracleJudge } from "../tests/fake-llm/judges";
import { startFakeLlm } from "../tests/fake-llm/server";
import { createScratchPostgres } from "../tests/helpers/test-db";

const SELF = fileURLToPath(import.meta.url);
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const JUDGE_BODY = {
  instruction: "What is the capital of France?",
  response_a: "The capital of France is Lyon.",
  response_b: "The capital of France is Paris. GOOD",
};

// ---- child: serve the real app, or the bare route, and nothing else -------------------------

async function serveChild(mode: "app" | "bare" | "minimal", port: number): Promise<void> {
  const { serve } = await import("@hono/node-server");
  if (mode === "minimal") {
    await serveMinimal(port);
    return;
  }
  if (mode === "bare") {
    const { Hono } = await import("hono");
    const reply = JSON.parse(process.env.BENCH_BARE_JSON ?? "{}") as object;
    // Parses the body like any JSON endpoint must, then answers with a recorded judge response.
    const bare = new Hono().post("/v1/judge", async (c) => {
      await c.req.json();
      return c.json(reply, 200);
    });
    serve({ fetch: bare.fetch, port, hostname: "127.0.0.1" }, () => console.log("ready"));
    process.once("SIGTERM", () => process.exit(0));
    return;
  }
  const pino = (await import("pino")).default;
  const { parseConfig } = await import("../src/config");
  const { createNodeDeps } = await import("../src/runtime/node-deps");
  const { createApp } = await import("../src/app");
  const config = parseConfig(process.env);
  // Production log volume (one line per request at info), written where it costs what it costs
  // in production but does not mix with the report.
  const logger = pino({ level: config.logLevel }, pino.destination({ dest: "/dev/null", sync: false }));
  const { deps, close } = await createNodeDeps(config, logger);
  const server = serve({ fetch: createApp(deps).fetch, port, hostname: "127.0.0.1" }, () => console.log("ready"));
  process.once("SIGTERM", () => {
    server.close();
    void close().finally(() => process.exit(0));
  });
}

/**
 * The minimal judge: a bare Hono route that does only what a judgment cannot do without: the same
 * two LLM HTTP calls (both orders, in parallel, through the same openai-SDK client and judge core)
 * and one INSERT of the judgment, on the same database with the same production client setup.
 * No auth, no validation, no lookup, no cache, no pool, no metrics, no logging.
 */
async function serveMinimal(port: number): Promise<void> {
  const { serve } = await import("@hono/node-server");
  const { Hono } = await import("hono");
  const { parseConfig } = await import("../src/config");
  const { openDatabase } = await import("../src/db/client");
  const { runMigrations } = await import("../src/db/migrate");
  const { ensureDefaultEvaluator } = await import("../src/evaluators/bootstrap");
  const { resolveTarget, versionSpec } = await import("../src/judging/resolve");
  const { judgePair } = await import("../src/judging/judge");
  const { insertJudgment } = await import("../src/db/queries/judgments");
  const { createOpenAiLlmClient } = await import("../src/llm/openai-client");
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  await runMigrations(database);
  await ensureDefaultEvaluator(database.db, config, new Date());
  const target = await resolveTarget(database.db, undefined, undefined);
  const spec = versionSpec(target);
  const llm = createOpenAiLlmClient({ ...config.llm });
  const app = new Hono().post("/v1/judge", async (c) => {
    const body = (await c.req.json()) as typeof JUDGE_BODY;
    const started = performance.now();
    const out = await judgePair(llm, spec, body, { samples: 1, swap: true });
    const row = await insertJudgment(database.db, {
      evaluatorId: target.evaluator.id,
      versionId: target.version.id,
      requestHash: "minimal",
      instruction: body.instruction,
      responseA: body.response_a,
      responseB: body.response_b,
      samples: 1,
      swap: true,
      status: "ok",
      verdict: out.verdict,
      usage: out.usage,
      latencyMs: Math.round(performance.now() - started),
    });
    return c.json({ id: row.id, verdict: out.verdict }, 200);
  });
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => console.log("ready"));
  process.once("SIGTERM", () => {
    server.close();
    void database.close().finally(() => process.exit(0));
  });
}

// ---- parent -------------------------------------------------------------------------------

type Child = { proc: ChildProcess; url: string; stop(): Promise<void> };

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function startChild(mode: "app" | "bare" | "minimal", env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  // BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of each server child there, to see where time goes.
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const proc = spawn(process.execPath, [...profile, "--import", "tsx", SELF, "serve", mode, String(port)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready")) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`${mode} server exited (${code}) before it was ready`)));
  });
  return {
    proc,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 15_000).unref();
      }),
  };
}

async function postJudge(url: string, body: object): Promise<any> {
  const res = await fetch(`${url}/v1/judge`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`POST /v1/judge → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

type Load = {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  total: number;
  bad: number;
  /** Committed database transactions per request (single statements count one each). */
  dbTxPerRequest?: number;
};

/**
 * Counts committed transactions in one database. PostgreSQL 15+ backends publish their counts
 * at most once a second while busy and within 10 s once idle, hence STATS_SETTLE_MS.
 */
type TxCounter = () => Promise<number>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STATS_SETTLE_MS = 11_000;

async function load(
  label: string,
  url: string,
  body: object,
  connections: number,
  seconds: number,
  tx?: { count: TxCounter; idlePerSecond: number },
): Promise<Load> {
  const opts = {
    url: `${url}/v1/judge`,
    method: "POST" as const,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    connections,
  };
  await autocannon({ ...opts, duration: 2 }); // warm-up: JIT, connection pools, prepared statements
  await sleep(tx ? STATS_SETTLE_MS : 0);
  const txBefore = await tx?.count();
  const started = performance.now();
  const r = await autocannon({ ...opts, duration: seconds });
  const elapsedSeconds = (performance.now() - started) / 1000;
  await sleep(tx ? STATS_SETTLE_MS : 0);
  const txAfter = await tx?.count();
  return {
    ...(tx && txBefore !== undefined && txAfter !== undefined
      ? { dbTxPerRequest: (txAfter - txBefore - tx.idlePerSecond * (elapsedSeconds + STATS_SETTLE_MS / 1000)) / r.requests.total }
      : {}),
    label,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    total: r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const loadStart = loadavg()[0]!;
  const scratch = await createScratchPostgres(serverUrl, "sj_bench");
  const llm = await startFakeLlm({ behavior: oracleJudge });
  const children: Child[] = [];
  const { default: postgres } = await import("postgres");
  const stats = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const countTx: TxCounter = async () => {
    const [row] = await stats`select xact_commit::bigint as n from pg_stat_database where datname = ${scratch.name}`;
    return Number(row?.n ?? 0);
  };
  try {
    const appEnv = {
      DATABASE_URL: scratch.url,
      OPENAI_BASE_URL: llm.url,
      OPENAI_API_KEY: "bench",
      JUDGE_MODEL: "fake-judge",
      LOG_LEVEL: "info",
    };
    const app = await startChild("app", appEnv);
    children.push(app);

    // Part 2 first, on a quiet server: exact request counts, cross-checked with the fake's log.
    const fanout: Array<{ honoursN: boolean; swap: boolean; samples: number; reported: number; received: number }> = [];
    for (const honoursN of [true, false]) {
      llm.setOptions({ honoursN });
      for (const swap of [true, false]) {
        for (const samples of [1, 5]) {
          const before = llm.chatRequests().length;
          const res = await postJudge(app.url, { ...JUDGE_BODY, swap, samples, cache: false });
          const received = llm.chatRequests().length - before;
          fanout.push({ honoursN, swap, samples, reported: res.usage.llm_requests, received });
        }
      }
    }
    llm.setOptions({ honoursN: true });

    // Part 1: the judge path with its LLM calls and writes, the cached path, and the bare route.
    const sample = await postJudge(app.url, { ...JUDGE_BODY, cache: false });
    // Background transactions (the job runner's polling) happen whatever the load; subtract them.
    await sleep(STATS_SETTLE_MS);
    const idleFrom = await countTx();
    await sleep(2 * STATS_SETTLE_MS);
    const idlePerSecond = ((await countTx()) - idleFrom) / ((2 * STATS_SETTLE_MS) / 1000);
    const tx = { count: countTx, idlePerSecond };

    // The cache-hit run goes first: after the cache-off run thousands of stored judgments share
    // this request's hash, which is not what a cache lookup normally meets.
    const llmCallsBefore = llm.chatRequests().length;
    const cached = await load(`POST /v1/judge, cache hit (0 LLM calls), ${connections} connections`, app.url, JUDGE_BODY, connections, seconds, tx);
    const llmCallsOnCacheHits = llm.chatRequests().length - llmCallsBefore;
    const judged = await load(`POST /v1/judge, cache: false (2 LLM calls), ${connections} connections`, app.url, { ...JUDGE_BODY, cache: false }, connections, seconds, tx);
    // One connection: the time a request spends in selfjudge with no queueing in front of it.
    const judgedSerial = await load("POST /v1/judge, cache: false (2 LLM calls), 1 connection", app.url, { ...JUDGE_BODY, cache: false }, 1, seconds);
    await app.stop();
    children.pop();

    // The minimal judge: the same LLM calls and one INSERT, nothing else (see serveMinimal).
    const minimalServer = await startChild("minimal", appEnv);
    children.push(minimalServer);
    const minimal = await load(`minimal judge (2 LLM calls + 1 INSERT), ${connections} connections`, minimalServer.url, JUDGE_BODY, connections, seconds, tx);
    const minimalSerial = await load("minimal judge (2 LLM calls + 1 INSERT), 1 connection", minimalServer.url, JUDGE_BODY, 1, seconds);
    await minimalServer.stop();
    children.pop();

    const bareServer = await startChild("bare", { BENCH_BARE_JSON: JSON.stringify(sample) });
    children.push(bareServer);
    const bare = await load(`bare Hono route, same JSON, ${connections} connections`, bareServer.url, JUDGE_BODY, connections, seconds);
    const bareSerial = await load("bare Hono route, same JSON, 1 connection", bareServer.url, JUDGE_BODY, 1, seconds);

    // Other work on the machine skews every figure; the 1-minute load average says how much.
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${loadStart.toFixed(2)} at start / ${loadavg()[0]!.toFixed(2)} at end`;
    if (llmCallsOnCacheHits !== 0) throw new Error(`cache hits made ${llmCallsOnCacheHits} LLM calls`);
    const report = renderReport({ machine, connections, seconds, judged, cached, bare, judgedSerial, bareSerial, minimal, minimalSerial, fanout });
    console.log(report);
    await mkdir(`${REPO_ROOT}/bench/results`, { recursive: true });
    await writeFile(
      `${REPO_ROOT}/bench/results/judge-overhead-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
      JSON.stringify({ machine, connections, seconds, judged, cached, bare, judgedSerial, bareSerial, minimal, minimalSerial, fanout, llmCallsOnCacheHits }, null, 2),
    );
  } finally {
    for (const c of children) await c.stop();
    await llm.close();
    await stats.end();
    await scratch.drop();
  }
}

function renderReport(r: {
  machine: string;
  connections: number;
  seconds: number;
  judged: Load;
  cached: Load;
  bare: Load;
  judgedSerial: Load;
  bareSerial: Load;
  minimal: Load;
  minimalSerial: Load;
  fanout: Array<{ honoursN: boolean; swap: boolean; samples: number; reported: number; received: number }>;
}): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  const row = (l: Load) =>
    `| ${l.label} | ${f(l.rps, 0)} | ${f(l.p50)} | ${f(l.p99)} | ${f(l.mean, 2)} | ${l.total} | ${l.bad} | ${l.dbTxPerRequest === undefined ? "–" : f(l.dbTxPerRequest)} |`;
  const lines = [
    `Machine: ${r.machine}. PostgreSQL on the same machine. ${r.seconds} s per run after a 2 s warm-up.`,
    "",
    "| endpoint | req/s | p50 ms | p99 ms | mean ms | requests | non-2xx/errors | DB transactions/request |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    row(r.judged),
    row(r.cached),
    row(r.minimal),
    row(r.bare),
    row(r.judgedSerial),
    row(r.minimalSerial),
    row(r.bareSerial),
    "",
    `- **/v1/judge vs the minimal judge** (same LLM calls, one INSERT): throughput ${f(r.judged.rps / r.minimal.rps, 2)}× at ${r.connections} connections (goal ≥ 0.5×); added p50 at 1 connection **+${f(r.judgedSerial.p50 - r.minimalSerial.p50)} ms** (goal ≤ 2 ms; mean +${f(r.judgedSerial.mean - r.minimalSerial.mean, 2)} ms).`,
    `- Throughput ratio at ${r.connections} connections, bare / judge: **${f(r.bare.rps / r.judged.rps)}×** (cache hit: ${f(r.bare.rps / r.cached.rps)}×).`,
    `- Added latency, judge minus bare, 1 connection: p50 **+${f(r.judgedSerial.p50 - r.bareSerial.p50)} ms**, p99 **+${f(r.judgedSerial.p99 - r.bareSerial.p99)} ms**; at ${r.connections} connections: p50 +${f(r.judged.p50 - r.bare.p50)} ms, p99 +${f(r.judged.p99 - r.bare.p99)} ms (cache hit: p50 +${f(r.cached.p50 - r.bare.p50)} ms, p99 +${f(r.cached.p99 - r.bare.p99)} ms).`,
    "",
    "LLM requests per judgment (`usage.llm_requests`; the fake server's own count in brackets):",
    "",
    "| provider | swap | samples = 1 | samples = 5 |",
    "| --- | --- | ---: | ---: |",
  ];
  for (const honoursN of [true, false]) {
    for (const swap of [true, false]) {
      const cell = (samples: number) => {
        const x = r.fanout.find((e) => e.honoursN === honoursN && e.swap === swap && e.samples === samples)!;
        return `${x.reported} (${x.received})`;
      };
      lines.push(`| ${honoursN ? "honours `n`" : "ignores `n`"} | ${swap ? "on" : "off"} | ${cell(1)} | ${cell(5)} |`);
    }
  }
  return lines.join("\n");
}

const [, , cmd, mode, port] = process.argv;
if (cmd === "serve") {
  await serveChild(mode as "app" | "bare" | "minimal", Number(port));
} else {
  await main();
}
