// `npm run bench:import`: dataset import throughput and peak memory (issue 8).
//
// Writes RewardBench-format Parquet files (the `filtered` split's columns: prompt, chosen,
// chosen_model, rejected, rejected_model, subset, id; text lengths near the real file's) with
// hyparquet-writer, then imports each one through POST /v1/datasets in a fresh child process
// running the real app on its own database. The child measures its idle RSS after start-up
// (after a GC), samples RSS every 5 ms during the import, and reports rows/s and peak RSS above
// idle. Each size is run on PostgreSQL (a scratch database on DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test) and on PGlite (in the app's process, so its RSS also
// holds the database). Goal: ≥ 20,000 rows/s, peak RSS flat in file size, ≤ 150 MB above idle.
// Real files come in two layouts, both measured: the hub's (`datasets`' push_to_hub writes row
// groups of at most 1,000 rows for text data) and pandas/pyarrow `to_parquet`'s (one row group
// for up to 1,048,576 rows, i.e. the whole file), which the reader must stream all the same.
// Env: BENCH_SIZES (default "3000,30000"), BENCH_ONE_GROUP (sizes also written as one row group,
// default "30000"), BENCH_DATABASES (default "postgres,pglite").
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parquetWriteBuffer } from "hyparquet-writer";
import { rewardbenchRow } from "./rewardbench-rows";

const SELF = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

function rewardbenchParquet(rows: number, rowGroupSize = 1000): ArrayBuffer {
  const all = Array.from({ length: rows }, (_, i) => rewardbenchRow(i));
  const column = (k: "prompt" | "chosen" | "chosen_model" | "rejected" | "rejected_model" | "subset") => all.map((r) => r[k]);
  return parquetWriteBuffer({
    columnData: [
      { name: "prompt", data: column("prompt"), type: "STRING" },
      { name: "chosen", data: column("chosen"), type: "STRING" },
      { name: "chosen_model", data: column("chosen_model"), type: "STRING" },
      { name: "rejected", data: column("rejected"), type: "STRING" },
      { name: "rejected_model", data: column("rejected_model"), type: "STRING" },
      { name: "subset", data: column("subset"), type: "STRING" },
      { name: "id", data: all.map((r) => BigInt(r.id)), type: "INT64" },
    ],
    rowGroupSize,
  });
}

// ---- child: the real app on a fresh database, one import, numbers on stdout ------------------

async function child(file: string): Promise<void> {
  const pino = (await import("pino")).default;
  const { parseConfig } = await import("../src/config");
  const { createNodeDeps } = await import("../src/runtime/node-deps");
  const { createApp } = await import("../src/app");
  const config = parseConfig(process.env);
  const logger = pino({ level: "silent" });
  const { deps, close } = await createNodeDeps(config, logger);
  const app = createApp(deps);
  // Warm up the route (module loading, first queries) with a tiny file, then measure idle.
  await upload(app, rewardbenchBuffer(rewardbenchParquet(10)), "warmup");
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  const res = await upload(app, body, "bench");
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(`${JSON.stringify({ status: res.status, body: res.body, seconds, idle, peak })}\n`);
  await close();
  process.exit(0);
}

function rewardbenchBuffer(buf: ArrayBuffer): ReadableStream<Uint8Array> {
  return new Blob([buf]).stream();
}

async function upload(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, body: ReadableStream<Uint8Array>, name: string) {
  const res = await app.request(`/v1/datasets?name=${name}&format=rewardbench`, {
    method: "POST",
    headers: { "content-type": "application/vnd.apache.parquet" },
    body,
    duplex: "half",
  } as RequestInit);
  const json = (await res.json()) as { inserted?: number; received?: number };
  if (res.status !== 201) throw new Error(`import answered ${res.status}: ${JSON.stringify(json)}`);
  return { status: res.status, body: { received: json.received, inserted: json.inserted } };
}

// ---- parent ----------------------------------------------------------------------------------

interface Run {
  db: string;
  rows: number;
  group: number;
  fileMb: number;
  seconds: number;
  idle: number;
  peak: number;
}

async function runOne(db: "postgres" | "pglite", file: string, dir: string): Promise<Omit<Run, "rows" | "group" | "fileMb">> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: "silent", OPENAI_API_KEY: "bench", JUDGE_MODEL: "bench" };
  let drop = async () => {};
  if (db === "postgres") {
    const { createScratchPostgres } = await import("../tests/helpers/test-db");
    const scratch = await createScratchPostgres(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test", "sj_bench_import");
    env.DATABASE_URL = scratch.url;
    drop = scratch.drop;
  } else {
    delete env.DATABASE_URL;
    env.DATA_DIR = await mkdtemp(join(dir, "pglite-"));
  }
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, ["--expose-gc", "--import", "tsx", SELF, "--child", file], { env, stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`child exited ${code}: ${stdout}`))));
    });
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as { seconds: number; idle: number; peak: number };
    return { db, seconds: r.seconds, idle: r.idle, peak: r.peak };
  } finally {
    await drop();
  }
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? "3000,30000").split(",").map(Number);
  const oneGroup = (process.env.BENCH_ONE_GROUP ?? "30000").split(",").filter(Boolean).map(Number);
  const dbs = (process.env.BENCH_DATABASES ?? "postgres,pglite").split(",") as Array<"postgres" | "pglite">;
  const cases = [...sizes.map((rows) => ({ rows, group: 1000 })), ...oneGroup.map((rows) => ({ rows, group: rows }))];
  const dir = await mkdtemp(join(tmpdir(), "sj-bench-import-"));
  const runs: Run[] = [];
  try {
    for (const { rows, group } of cases) {
      const file = join(dir, `rewardbench-${rows}-${group}.parquet`);
      await writeFile(file, new Uint8Array(rewardbenchParquet(rows, group)));
      const fileMb = (await stat(file)).size / MB;
      for (const db of dbs) {
        const r = await runOne(db, file, dir);
        runs.push({ ...r, rows, group, fileMb });
        console.error(`${db} ${rows} rows (row groups of ${group}): ${(rows / r.seconds).toFixed(0)} rows/s, peak ${((r.peak - r.idle) / MB).toFixed(1)} MB above idle, load ${loadavg()[0]!.toFixed(1)}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`Machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(" / ")} at the end.\n`);
  console.log("| database | rows | rows per group | file | time | rows/s | idle RSS | peak RSS | peak above idle |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of runs) {
    console.log(
      `| ${r.db} | ${r.rows.toLocaleString("en")} | ${r.group.toLocaleString("en")} | ${r.fileMb.toFixed(1)} MB | ${r.seconds.toFixed(2)} s | ${Math.round(r.rows / r.seconds).toLocaleString("en")} | ` +
        `${(r.idle / MB).toFixed(0)} MB | ${(r.peak / MB).toFixed(0)} MB | ${((r.peak - r.idle) / MB).toFixed(1)} MB |`,
    );
  }
}

if (process.argv[2] === "--child") await child(process.argv[3]!);
else await main();
