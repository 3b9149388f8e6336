// `npm run bench:fleet`: several selfjudge instances on one PostgreSQL (issue 14).
//
// 1. Failover: three instances work one long training run (a fake LLM whose annotation calls take
//    BENCH_DELAY_MS). The instance holding the run is SIGKILLed BENCH_KILLS times (takeover time =
//    kill → another instance holds the lease), then SIGTERMed BENCH_TERMS times (hand-off time =
//    signal → another instance holds it); a killed or stopped instance is replaced in the
//    background. Then the run finishes, and every annotation prompt asked more than once is
//    classified: in flight on the killed instance (its answer died with it) or answered before the
//    kill (a duplicate LLM call caused by the takeover).
// 2. Judge throughput of 1, 2 and 3 instances behind one port (a round-robin TCP proxy in this
//    process), POST /v1/judge with cache off against an instant fake LLM, same run side by side.
//
// Prints a Markdown report; raw numbers go to bench/results/multi-instance.json. Env: DATABASE_URL
// (server for the scratch databases; default postgres://postgres@127.0.0.1:5432/test),
// BENCH_KILLS (5), BENCH_TERMS (3), BENCH_DELAY_MS (1000), BENCH_SECONDS (10), BENCH_CONNECTIONS (16),
// BENCH_STEP ("annotate": signals land while the run annotates; another step name, or "any"),
// BENCH_PHASES ("failover,throughput"; either one alone, e.g. to re-measure throughput on a quiet machine).
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, connect, type Server } from "node:net";
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { oracleJudge } from "../tests/fake-llm/judges";
import { startFakeLlm } from "../tests/fake-llm/server";
import { samplePool } from "../tests/fake-llm/training";
import { runLease, startFleet, waitFor, type Fleet } from "../tests/fleet/fleet-env";
import { freePort, startServer, type ServerProcess } from "../tests/server/spawn-server";
import { createScratchPostgres } from "../tests/helpers/test-db";

const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const KILLS = Number(process.env.BENCH_KILLS ?? 5);
const TERMS = Number(process.env.BENCH_TERMS ?? 3);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const STEP = process.env.BENCH_STEP ?? "annotate";
const PHASES = (process.env.BENCH_PHASES ?? "failover,throughput").split(",");

const alive = (s: ServerProcess) => s.child.exitCode === null && s.child.signalCode === null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ready when /healthz answers: the throughput servers log at warn, so there is no "listening" line to wait for. */
async function healthy(s: ServerProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive(s)) throw new Error(`server exited before it was healthy:\n${s.output()}`);
    try {
      if ((await fetch(`${s.url}/healthz`)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server not healthy after ${timeoutMs} ms:\n${s.output()}`);
    await sleep(100);
  }
}

async function failover(): Promise<Record<string, unknown>> {
  const fleet: Fleet = await startFleet(SERVER_URL, { delayMs: DELAY_MS });
  try {
    await fleet.start();
    await Promise.all([fleet.start(), fleet.start()]);
    const api = (path: string, body?: unknown) =>
      fleet.servers.find(alive)!.fetchJson(path, body === undefined ? undefined : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await api("/v1/traffic", { items: samplePool(600) });
    const start = await api("/v1/training/runs", { sample_size: 450, samples_per_pair: 2, heldout_fraction: 0.2, heldout_size: 20, concurrency: 2, seed: 11 });
    if (start.status !== 202) throw new Error(`run not started: ${JSON.stringify(start.json)}`);
    const id = start.json.id as string;
    const takeovers: number[] = [];
    const handoffs: number[] = [];
    const inFlightAtKills = new Set<string>();
    const killTimes: number[] = [];
    const replacing: Array<Promise<unknown>> = [];

    for (let i = 0; i < KILLS + TERMS; i++) {
      const kill = i < KILLS;
      // At least two live instances, and the run held and moving, before each event.
      await waitFor(async () => fleet.servers.filter(alive).length, (n) => n >= 2, 120_000, "two live instances");
      // Inside annotation (the long step whose LLM calls a takeover could repeat), with some pairs written.
      const held = await waitFor(() => runLease(fleet.sql, id), (r) => r.owner !== null && r.status === "running" && (STEP === "any" || (r.step === STEP && (STEP !== "annotate" || r.annotated > 0))), 120_000, "run held in annotate");
      await sleep(1000 + Math.random() * 2000);
      const owner = (await runLease(fleet.sql, id)).owner ?? held.value.owner!;
      const victim = fleet.holder(owner);
      if (!victim) throw new Error(`no live instance logged worker ${owner}`);
      if (kill) {
        for (const k of fleet.calls.inFlight.keys()) inFlightAtKills.add(k);
        killTimes.push(Date.now());
      }
      victim.child.kill(kill ? "SIGKILL" : "SIGTERM");
      const moved = await waitFor(() => runLease(fleet.sql, id), (r) => r.owner !== null && r.owner !== owner, 60_000, kill ? "takeover" : "hand-off");
      (kill ? takeovers : handoffs).push(moved.ms);
      console.error(`${kill ? "SIGKILL" : "SIGTERM"} ${i + 1}: work moved on after ${moved.ms} ms (step ${moved.value.step}, annotated pairs ${moved.value.annotated})`);
      replacing.push(victim.exited.then(() => fleet.start()));
    }
    await Promise.all(replacing);
    // The rest needs no slow LLM: let the run finish quickly.
    fleet.calls.delayMs = 20;
    const end = await waitFor(() => runLease(fleet.sql, id), (r) => ["completed", "failed", "canceled"].includes(r.status), 600_000, "run end");
    const repeated = [...fleet.calls.done].filter(([, n]) => n > 1).map(([k]) => k);
    const lost = repeated.filter((k) => inFlightAtKills.has(k));
    const [dups] = await fleet.sql<{ n: number }[]>`
      select count(*)::int as n from (select 1 from training_judgments where run_id = ${id}
        group by run_id, iteration, pair_id, sample_index having count(*) > 1) d`;
    return {
      run_status: end.value.status,
      kills: takeovers.length,
      takeover_ms: takeovers,
      terms: handoffs.length,
      handoff_ms: handoffs,
      annotation_calls: fleet.calls.total,
      repeated_prompts: repeated.length,
      repeated_in_flight_at_kill: lost.length,
      duplicate_llm_calls_from_takeover: repeated.length - lost.length,
      max_calls_in_flight_for_one_prompt: fleet.calls.maxConcurrentSame,
      duplicate_judgment_rows: dups!.n,
    };
  } finally {
    await fleet.close();
  }
}

/** Spreads incoming connections over `ports` in turn (what a TCP load balancer does). */
function roundRobin(ports: number[]): Promise<{ port: number; server: Server }> {
  let next = 0;
  const server = createServer((client) => {
    const upstream = connect(ports[next++ % ports.length]!, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop);
    upstream.on("error", drop);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ port: (server.address() as { port: number }).port, server })));
}

async function throughput(): Promise<Array<{ instances: number; rps: number; p50: number; p99: number; errors: number }>> {
  const fake = await startFakeLlm({ behavior: oracleJudge });
  const scratch = await createScratchPostgres(SERVER_URL, "sj_fleet_rps");
  const servers: ServerProcess[] = [];
  const rows: Array<{ instances: number; rps: number; p50: number; p99: number; errors: number }> = [];
  try {
    const env = { DATABASE_URL: scratch.url, OPENAI_BASE_URL: fake.url, JUDGE_MODEL: "fake-judge", OPENAI_API_KEY: "k", LOG_LEVEL: "warn" };
    servers.push(await startServer(env, { port: await freePort() }));
    await healthy(servers[0]!);
    for (const n of [1, 2, 3]) {
      while (servers.length < n) {
        const s = await startServer(env, { port: await freePort() });
        servers.push(s);
        await healthy(s);
      }
      const proxy = await roundRobin(servers.map((s) => s.port));
      const opts = {
        url: `http://127.0.0.1:${proxy.port}/v1/judge`,
        method: "POST" as const,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ instruction: "What is the capital of France?", response_a: "Lyon.", response_b: "Paris. GOOD", cache: false }),
        connections: CONNECTIONS,
      };
      await autocannon({ ...opts, duration: 2 });
      const r = await autocannon({ ...opts, duration: SECONDS });
      rows.push({ instances: n, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
      console.error(`${n} instance(s): ${r.requests.average} req/s`);
      await new Promise<void>((res) => proxy.server.close(() => res()));
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop("SIGTERM")));
    await fake.close();
    await scratch.drop();
  }
  return rows;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sec = (ms: number) => (ms / 1000).toFixed(1);

const machine = { cpus: cpus().length, load_before: loadavg().map((x) => x.toFixed(1)).join(" ") };
const fo = PHASES.includes("failover") ? await failover() : null;
const tp = PHASES.includes("throughput") ? await throughput() : [];
const machineLine = `Machine: ${machine.cpus} CPUs (shared), load average before: ${machine.load_before}, after: ${loadavg().map((x) => x.toFixed(1)).join(" ")}. All instances, PostgreSQL, the fake LLM and the load generator share these ${machine.cpus} cores.`;
const failoverReport = (fo: Record<string, unknown>) => {
  const k = fo.takeover_ms as number[];
  const h = fo.handoff_ms as number[];
  return [
  "| failover | n | median | max | goal |",
  "|---|---:|---:|---:|---|",
  `| takeover after SIGKILL of the holder | ${k.length} | ${sec(median(k))} s | ${sec(Math.max(...k))} s | ≤ 15 s |`,
  `| hand-off after SIGTERM of the holder | ${h.length} | ${sec(median(h))} s | ${sec(Math.max(...h))} s | ≤ 2 s |`,
  "",
  `Run ${fo.run_status}; ${fo.annotation_calls} annotation calls; prompts asked again: ${fo.repeated_prompts}, of which ${fo.repeated_in_flight_at_kill} were in flight on a killed instance (answer lost with it) → **duplicate LLM calls caused by takeover: ${fo.duplicate_llm_calls_from_takeover}** (goal 0); most calls in flight at once for one prompt: ${fo.max_calls_in_flight_for_one_prompt}; duplicate judgment rows: ${fo.duplicate_judgment_rows}.`,
  "",
  ];
};
const base = tp[0]?.rps ?? 1;
const throughputReport = [
  `| instances behind one port | req/s | ratio to 1 | p50 ms | p99 ms | errors |`,
  "|---:|---:|---:|---:|---:|---:|",
  ...tp.map((r) => `| ${r.instances} | ${r.rps.toFixed(0)} | ${(r.rps / base).toFixed(2)}× | ${r.p50} | ${r.p99} | ${r.errors} |`),
];
console.log([machineLine, "", ...(fo ? failoverReport(fo) : []), ...(tp.length ? throughputReport : [])].join("\n"));
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
await writeFile(new URL("./results/multi-instance.json", import.meta.url), JSON.stringify({ machine, failover: fo, throughput: tp }, null, 2));
process.exit(0);
