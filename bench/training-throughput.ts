/**
 * Training loop throughput and memory.
 *
 *   npx tsx --expose-gc bench/training-throughput.ts           # PGlite in a temp folder
 *   DATABASE_URL=postgres://… npx tsx --expose-gc bench/training-throughput.ts   # scratch PostgreSQL database
 *   … --write                                                   # also replace the section in BENCHMARKS.md
 *
 * 1. Items/s of the synthesize and annotate steps against a fake OpenAI-compatible LLM that
 *    answers every request after BENCH_LATENCY_MS (50), at concurrency 1/4/16/32, next to the
 *    bound concurrency / latency. Both steps issue their two calls per item side by side (y_w and
 *    x'+y_l; the two answer orders), so an item costs one latency and the bound is C / latency.
 *    The steps run exactly as in a run (runner step functions, real database writes), with the
 *    LLM client's own cap raised out of the way (LLM_CONCURRENCY=512).
 * 2. Peak memory while curation streams a BENCH_POOL (50,000) instruction pool, next to a pool
 *    ten times smaller: flat memory means the two peaks are close.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { AppDeps } from "../src/deps";
import { addJudgeStats } from "../src/db/queries/judge-stats";
import { createJudgeStatsRecorder } from "../src/judging/stats-recorder";
import { parseConfig } from "../src/config";
import { ensureDefaultEvaluator, insertEvaluator } from "../src/evaluators/bootstrap";
import { openPglite, openPostgres, type Database } from "../src/db/client";
import { runMigrations } from "../src/db/migrate";
import { acquireLease, insertRunWithinCapacity } from "../src/db/queries/training";
import { addToPool } from "../src/db/queries/traffic";
import { getActiveVersion } from "../src/db/queries/versions";
import { systemClock } from "../src/lib/clock";
import { silentLogger } from "../src/lib/logger";
import { createOpenAiLlmClient } from "../src/llm/openai-client";
import { DEFAULT_JUDGE_TEMPLATE, sampleJudgments } from "../src/judging";
import type { LlmClient } from "../src/llm/types";
import { annotate } from "../src/training/annotate";
import { RunContext } from "../src/training/context";
import { curate } from "../src/training/curate";
import { DEFAULT_TIMING } from "../src/training/deps";
import { completeParams, RunParamsSchema, type RunParamsInput } from "../src/training/params";
import { createTrainingDeps } from "../src/training/production-deps";
import { synthesize } from "../src/training/synthesize";
import { startFakeLlm } from "../tests/fake-llm/server";
import { samplePool, trainingFake } from "../tests/fake-llm/training";

const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 50);
const LEVELS = (process.env.BENCH_LEVELS ?? "1,4,16,32").split(",").map(Number);
const POOL = Number(process.env.BENCH_POOL ?? 50_000);
const SECONDS_AT_BOUND = 4;
const gc = (globalThis as { gc?: () => void }).gc;

async function openDb(): Promise<{ database: Database; cleanup(): Promise<void>; label: string }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `sj_bench_${Date.now().toString(36)}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openPostgres(u.toString());
    await runMigrations(database);
    return {
      database,
      label: "PostgreSQL",
      async cleanup() {
        await database.close();
        const dropper = postgres(url, { max: 1, onnotice: () => {} });
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
        await dropper.end();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), "selfjudge-bench-"));
  const database = await openPglite(dir);
  await runMigrations(database);
  return {
    database,
    label: "PGlite (on disk, in the same process)",
    async cleanup() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The fake LLM runs in its own process (this file with --serve-fake), so its CPU does not
 * compete with the loop being measured, as a real provider's would not.
 */
async function serveFake(): Promise<void> {
  const sim = trainingFake({ malformedRate: 0, sameInstructionRate: 0 });
  let latency = 0;
  // The latency is counted from when the fake starts handling a request, so the answer leaves
  // `latency` ms after it arrived rather than `latency` ms plus the fake's own work.
  const fake = await startFakeLlm({
    behavior: async (req, ctx) => {
      const started = performance.now();
      const reply = await sim.behavior(req, ctx);
      const wait = latency - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return reply;
    },
  });
  fake.registerRoute({
    method: "POST",
    path: "/__latency",
    handle(_req, { body }) {
      latency = Number((body as { ms?: number }).ms ?? 0);
      return { status: 200, body: {} };
    },
  });
  process.on("SIGTERM", () => process.exit(0));
  console.log(JSON.stringify({ url: fake.url }));
}

async function startFakeProcess(): Promise<{ url: string; setLatency(ms: number): Promise<void>; close(): Promise<void> }> {
  const proc = spawn(process.execPath, [...(process.env.BENCH_FAKE_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof2"] : []), "--import", "tsx", process.argv[1]!, "--serve-fake"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.once("data", (d: Buffer) => resolve((JSON.parse(d.toString("utf8").split("\n")[0]!) as { url: string }).url));
    proc.once("exit", (code) => reject(new Error(`fake LLM exited with ${code}`)));
  });
  return {
    url,
    async setLatency(ms) {
      await fetch(`${url.replace(/\/v1$/, "")}/__latency`, { method: "POST", body: JSON.stringify({ ms }) });
    },
    async close() {
      proc.kill();
    },
  };
}

async function main() {
  const write = process.argv.includes("--write");
  const loadBefore = loadavg()[0]!;
  const fake = await startFakeProcess();
  const { database, cleanup, label } = await openDb();
  const config = parseConfig({
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: "bench",
    JUDGE_MODEL: "fake-judge",
    LLM_CONCURRENCY: "512",
    LLM_MAX_RETRIES: "0",
    LOG_LEVEL: "silent",
  });
  await ensureDefaultEvaluator(database.db, config, new Date());
  const deps: AppDeps = {
    config,
    database,
    llm: createOpenAiLlmClient({ ...config.llm }),
    clock: systemClock,
    logger: silentLogger,
    judgeStats: createJudgeStatsRecorder({ write: (rows) => addJudgeStats(database.db, rows), logger: silentLogger }),
  };
  const tdeps = createTrainingDeps(deps, { workerId: "bench", timing: { ...DEFAULT_TIMING, sliceMs: 3_600_000 } });

  async function context(evaluatorName: string, params: RunParamsInput): Promise<RunContext> {
    const ev = await insertEvaluator(database.db, { name: evaluatorName, seedModel: "fake-judge" }, new Date());
    const full = completeParams(RunParamsSchema.parse(params), { generatorModel: "fake-judge", randomSeed: () => 1 });
    const run = await insertRunWithinCapacity(
      database.db,
      { evaluatorId: ev.id, params: full as unknown as Record<string, unknown>, trigger: "api" },
      1000,
    );
    const leased = await acquireLease(database.db, run!.id, "bench", 3600);
    return new RunContext(tdeps, leased!, full, ev, {}, []);
  }

  async function fillPool(evaluatorName: string, n: number, prefix: string) {
    const { findEvaluatorByName } = await import("../src/db/queries/evaluators");
    const ev = await findEvaluatorByName(database.db, evaluatorName);
    for (let i = 0; i < n; i += 1000) {
      const items = samplePool(Math.min(1000, n - i), `${prefix}${i}-`);
      await addToPool(database.db, ev!.id, "ingest", items);
    }
  }

  // 1. Throughput.
  const rows: Array<{ c: number; items: number; synth: number; annot: number; bound: number; ceiling: number }> = [];
  for (const c of LEVELS) {
    const items = Math.ceil((SECONDS_AT_BOUND * c * 1000) / LATENCY);
    const name = `bench-c${c}`;
    const ctx = await context(name, {
      sample_size: items,
      samples_per_pair: 8,
      heldout_fraction: 0,
      heldout_size: 0,
      concurrency: c,
      seed: 1,
    });
    await fillPool(name, items, `c${c}-`);
    // The run's pool cursor was taken at insert time; widen it to the pool just added.
    (ctx.run as { poolSeqAtStart: number | null }).poolSeqAtStart = Number.MAX_SAFE_INTEGER;
    await fake.setLatency(0);
    await curate(ctx);
    await fake.setLatency(LATENCY);
    let t0 = performance.now();
    await synthesize(ctx);
    const synthS = (performance.now() - t0) / 1000;
    const active = (await getActiveVersion(database.db, ctx.evaluator.id))!;
    t0 = performance.now();
    await annotate(ctx, 1, active);
    const annotS = (performance.now() - t0) / 1000;
    await ctx.close();
    const bound = (c * 1000) / LATENCY;
    const ceiling = await clientCeiling(deps.llm, c, items);
    rows.push({ c, items, synth: items / synthS, annot: items / annotS, bound, ceiling });
    console.error(
      `c=${c}: ${items} items, synthesize ${(items / synthS).toFixed(1)}/s, annotate ${(items / annotS).toFixed(1)}/s, ` +
        `client alone ${ceiling.toFixed(1)}/s, bound ${bound}/s`,
    );
  }

  // 2. Memory through curation.
  await fake.setLatency(0);
  const mem: Array<{ pool: number; rssBase: number; rssPeak: number; heapBase: number; heapPeak: number; seconds: number }> = [];
  for (const pool of [Math.round(POOL / 10), POOL]) {
    const name = `bench-mem-${pool}`;
    const ctx = await context(name, { sample_size: 1000, heldout_fraction: 0.1, heldout_size: 200, concurrency: 16, seed: 2 });
    await fillPool(name, pool, `m${pool}-`);
    (ctx.run as { poolSeqAtStart: number | null }).poolSeqAtStart = Number.MAX_SAFE_INTEGER;
    gc?.();
    const base = process.memoryUsage();
    let rssPeak = base.rss;
    let heapPeak = base.heapUsed;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      rssPeak = Math.max(rssPeak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed);
    }, 5);
    const t0 = performance.now();
    await curate(ctx);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    await ctx.close();
    mem.push({ pool, rssBase: base.rss, rssPeak, heapBase: base.heapUsed, heapPeak, seconds });
    console.error(`pool ${pool}: rss ${mb(base.rss)} → peak ${mb(rssPeak)}, heap ${mb(base.heapUsed)} → peak ${mb(heapPeak)}, ${seconds.toFixed(1)} s`);
  }

  await fake.close();
  await cleanup();
  const loadAfter = loadavg()[0]!;

  const pct = (x: number, b: number) => `${((100 * x) / b).toFixed(1)}%`;
  const goal = (x: number, b: number) => x >= 0.9 * b;
  const listC = (rs: typeof rows) => (rs.length ? rs.map((r) => r.c).join(", ") : "none");
  const reading = [
    `≥ 90% of the bound: synthesize at concurrency ${listC(rows.filter((r) => goal(r.synth, r.bound)))}, ` +
      `annotate at ${listC(rows.filter((r) => goal(r.annot, r.bound)))}.`,
    ...rows
      .filter((r) => !goal(r.annot, r.bound))
      .map(
        (r) =>
          `At ${r.c}, the client alone reaches ${pct(r.ceiling, r.bound)} of the bound on this machine, and annotate ${pct(r.annot, r.ceiling)} of what the client alone does.`,
      ),
  ].join(" ");
  const sub = `### ${label}

Command: \`${process.env.DATABASE_URL ? "DATABASE_URL=postgres://… " : ""}npx tsx --expose-gc bench/training-throughput.ts --write\`
on ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)};
1-minute load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after (the machine is shared).
Fake LLM latency ${LATENCY} ms.

| concurrency | items | bound (items/s) | synthesize (items/s) | % of bound | annotate (items/s) | % of bound | client alone (items/s) | annotate % of client alone |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.c} | ${r.items} | ${r.bound.toFixed(0)} | ${r.synth.toFixed(1)} | ${pct(r.synth, r.bound)} | ${r.annot.toFixed(1)} | ${pct(r.annot, r.bound)} | ${r.ceiling.toFixed(1)} | ${pct(r.annot, r.ceiling)} |`).join("\n")}

${reading}

| pool | curation time | RSS base → peak | JS heap base → peak |
|---:|---:|---:|---:|
${mem.map((m) => `| ${m.pool.toLocaleString("en")} | ${m.seconds.toFixed(1)} s | ${mb(m.rssBase)} → ${mb(m.rssPeak)} | ${mb(m.heapBase)} → ${mb(m.heapPeak)} |`).join("\n")}
`;
  console.log(sub);
  if (write) writeSubsection("BENCHMARKS.md", label, sub);
}

const SECTION = "## Training loop throughput";
const INTRO = `${SECTION}

\`bench/training-throughput.ts\` runs the synthesize and annotate steps exactly as a run does (the runner's step
functions, real database writes) against a fake OpenAI-compatible LLM in a child process that answers every request a
fixed latency after it started handling it (HTTP and JSON work on both sides come on top, as with a real provider),
at concurrency 1, 4, 16 and 32. An item is one pair: synthesize makes its two calls (y_w, and x' + y_l)
side by side and annotate its two (one per answer order, n = 4 each, 8 judgments per pair) side by side, so an item
costs one LLM latency and the bound is concurrency / latency. Each level processes 4 s worth of items at the bound.
The LLM client's own cap is raised out of the way (LLM_CONCURRENCY=512). "Client alone" sends the annotate step's exact
LLM traffic through the same openai-SDK client with no loop and no database: what the machine can do at all, so the
last column is the loop's own efficiency. The memory table streams a pool through curation (pages of ${DEFAULT_TIMING.pageSize} rows by
\`traffic.seq\`: split assignment, seeded candidate draw, classification of the candidates, stratified selection of
1,000 training + 200 held-out instructions) for a pool ten times smaller and for the full one; base = after the pool
was inserted, peak sampled every 5 ms during curation. Flat memory means the two peaks are close.
`;

/**
 * Rewrites the training section: the shared introduction, then one subsection per database,
 * replacing this database's and keeping the others. Sections of other benchmarks are untouched.
 */
function writeSubsection(file: string, label: string, sub: string): void {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = text.indexOf(`${SECTION}\n`);
  const next = start < 0 ? -1 : text.indexOf("\n## ", start + SECTION.length);
  const before = start < 0 ? `${text.trimEnd()}\n\n` : text.slice(0, start);
  const after = start < 0 || next < 0 ? "" : text.slice(next + 1);
  const old = start < 0 ? "" : text.slice(start, next < 0 ? text.length : next + 1);
  const subs = new Map<string, string>();
  for (const part of old.split(/\n(?=### )/).slice(1)) subs.set(part.slice(4, part.indexOf("\n")), part.trimEnd());
  subs.set(label, sub.trimEnd());
  const section = [INTRO.trimEnd(), ...subs.values()].join("\n\n");
  writeFileSync(file, `${before}${section}\n${after ? `\n${after}` : ""}`);
}

/**
 * The same LLM traffic as the annotate step (two judge requests with n = 4 per item, side by
 * side, `c` items at a time) through the same client, with no loop and no database: what this
 * machine's HTTP client and fake server can do, whatever the loop adds on top.
 */
async function clientCeiling(llm: LlmClient, c: number, items: number): Promise<number> {
  const spec = { model: "fake-judge", prompt_template: DEFAULT_JUDGE_TEMPLATE, criteria: "helpfulness", params: {} };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < items) {
        const i = next++;
        const input = { instruction: `question ${i}`, response_a: "answer [ok]", response_b: "other answer" };
        await Promise.all([
          sampleJudgments(llm, spec, input, { order: "ab", n: 4, temperature: 0.7, top_p: 0.9 }),
          sampleJudgments(llm, spec, input, { order: "ba", n: 4, temperature: 0.7, top_p: 0.9 }),
        ]);
      }
    }),
  );
  return items / ((performance.now() - t0) / 1000);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

if (process.argv.includes("--serve-fake")) await serveFake();
else await main();
