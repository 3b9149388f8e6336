import { afterAll, describe, expect, it } from "vitest";
import { samplePool } from "../fake-llm/training";
import { ON_POSTGRES } from "../helpers/test-db";
import { finished, waitForRun } from "../training/helpers";
import { heldoutItems } from "../evaluation/helpers";
import { evaluationLease, runLease, startFleet, waitFor, type Fleet } from "./fleet-env";

const N = 2;

// Several processes on one database need PostgreSQL (PGlite is one process by design): this file
// runs in the suite's PostgreSQL leg (DATABASE_URL set), e.g.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> npx vitest run tests/fleet/failover.test.ts
describe.skipIf(!ON_POSTGRES)("three instances on one PostgreSQL (PostgreSQL leg only)", () => {
  let fleet: Fleet | undefined;
  afterAll(async () => {
    await fleet?.close();
  });

  it("SIGKILL of the run's holder: another takes over within 15 s; SIGTERM hands it on within 2 s; it completes with nothing duplicated", async () => {
    fleet = await startFleet(process.env.DATABASE_URL!, { delayMs: 300, slowDelayMs: 800 });
    const f = fleet;
    // One first, so the others start on a migrated database (they would wait on its lock anyway).
    await f.start();
    await Promise.all([f.start(), f.start()]);
    const api = (path: string, init?: { method: string; body?: unknown }) => {
      const live = f.servers.find((s) => s.child.exitCode === null && s.child.signalCode === null)!;
      return live.fetchJson(path, init ? { method: init.method, headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) } : undefined);
    };
    const reader = { call: async (_m: "GET", path: string) => api(path) };
    expect((await api("/v1/traffic", { method: "POST", body: { items: samplePool(60) } })).json.inserted).toBe(60);
    const start = await api("/v1/training/runs", {
      method: "POST",
      body: { sample_size: 40, samples_per_pair: N, heldout_fraction: 0.3, heldout_size: 10, concurrency: 2, seed: 5 },
    });
    expect(start.status).toBe(202);
    const id = start.json.id as string;

    // Mid-annotation, find the holder and kill it.
    const mid = await waitFor(() => runLease(f.sql, id), (r) => r.owner !== null && r.annotated >= 3, 60_000, "annotation under way");
    const dead = mid.value.owner!;
    const victim = f.holder(dead);
    expect(victim, `no instance logged worker ${dead}`).toBeDefined();
    victim!.child.kill("SIGKILL");
    const inFlightAtKill = new Set(f.calls.inFlight.keys());
    const killedAt = Date.now();
    await victim!.exited;

    // Another instance holds the lease and the run moves on.
    const took = await waitFor(() => runLease(f.sql, id), (r) => r.owner !== null && r.owner !== dead, 30_000, "takeover after SIGKILL");
    expect(took.ms).toBeLessThanOrEqual(15_000);
    const second = took.value.owner!;
    // The lease row can change a moment before the new holder's log line reaches us.
    const successor = (await waitFor(async () => f.holder(second), (s) => s !== undefined, 10_000, "successor's log line")).value;
    expect(successor).toBeDefined();

    // SIGTERM the new holder: it checkpoints, releases the lease and another continues at once.
    successor!.child.kill("SIGTERM");
    const handed = await waitFor(
      () => runLease(f.sql, id),
      (r) => (r.owner !== null && r.owner !== dead && r.owner !== second) || ["completed", "failed"].includes(r.status),
      30_000,
      "hand-off after SIGTERM",
    );
    if (handed.value.status === "running" || handed.value.status === "queued") expect(handed.ms).toBeLessThanOrEqual(2_000);
    expect((await successor!.exited).code).toBe(0);

    const run = await waitForRun(reader, id, finished, 120_000);
    expect(run.error).toBeNull();
    expect(run.status).toBe("completed");
    const c = run.counters;
    expect(c.pairs_annotated).toBe(c.pairs_built);
    // Exactly N judgments per pair: nothing duplicated, nothing missing.
    expect(c.judgments_sampled).toBe(c.pairs_built * N);
    // No item was ever judged by two instances at the same time.
    expect(f.calls.maxConcurrentSame).toBe(1);
    // A prompt asked twice is one whose answer died with the killed instance: in flight at the
    // kill, or answered in the last moments before it (rows still in the write-behind buffer).
    const repeated = [...f.calls.done].filter(([, n]) => n > 1).map(([k]) => k);
    const unexplained = repeated.filter((k) => !inFlightAtKill.has(k) && killedAt - (f.calls.doneAt.get(k) ?? 0) > 1000);
    expect(unexplained).toEqual([]);
    expect(repeated.length).toBeLessThanOrEqual(8);
    // One candidate, one evaluation: the takeovers created nothing twice.
    const [versions] = await f.sql<{ n: number }[]>`select count(*)::int as n from versions where training_run_id = ${id}`;
    expect(versions!.n).toBe(1);
    const [evals] = await f.sql<{ n: number }[]>`select count(*)::int as n from evaluations where training_run_id = ${id}`;
    expect(evals!.n).toBe(1);
    console.log(JSON.stringify({ takeover_ms: took.ms, handoff_ms: handed.ms, repeated: repeated.length, in_flight_at_kill: inFlightAtKill.size }));
  }, 240_000);

  it("SIGKILL of an evaluation's holder: another instance finishes it within 15 s, no unit judged twice", async () => {
    const f = fleet!;
    // The first test left one instance alive; two more join.
    await Promise.all([f.start(), f.start()]);
    const live = () => f.servers.find((s) => s.child.exitCode === null && s.child.signalCode === null)!;
    const post = (path: string, body: unknown) =>
      live().fetchJson(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("/v1/heldout", { items: heldoutItems(48, "fleet") })).status).toBe(200);
    const version = await post("/v1/versions", { model: "fake-slow" });
    expect(version.status).toBe(201);
    const created = await post("/v1/evaluations", { version: version.json.name, against: "v1" });
    expect(created.status).toBe(202);
    const id = created.json.id as string;

    const mid = await waitFor(() => evaluationLease(f.sql, id), (r) => r.owner !== null && r.done >= 8, 60_000, "evaluation under way");
    const dead = mid.value.owner!;
    const victim = f.holder(dead);
    expect(victim, `no instance logged worker ${dead}`).toBeDefined();
    victim!.child.kill("SIGKILL");
    const inFlightAtKill = new Set(f.slowCalls.inFlight.keys());
    const killedAt = Date.now();
    const took = await waitFor(() => evaluationLease(f.sql, id), (r) => (r.owner !== null && r.owner !== dead) || r.status === "completed", 30_000, "evaluation takeover");
    expect(took.ms).toBeLessThanOrEqual(15_000);

    const end = await waitFor(() => evaluationLease(f.sql, id), (r) => ["completed", "failed", "canceled"].includes(r.status), 120_000, "evaluation end");
    expect(end.value.status).toBe("completed");
    // Every (item, version) once (rows are keyed so): the whole held-out set — our 48 items plus the
    // synthetic ones the first test's training run added — × 2 versions.
    const [held] = await f.sql<{ n: number }[]>`select count(*)::int as n from heldout_items h join evaluations e on e.evaluator_id = h.evaluator_id where e.id = ${id}`;
    expect(held!.n).toBeGreaterThanOrEqual(48);
    expect(end.value.done).toBe(2 * held!.n);
    expect(f.slowCalls.maxConcurrentSame).toBe(1);
    const repeated = [...f.slowCalls.done].filter(([, n]) => n > 1).map(([k]) => k);
    const unexplained = repeated.filter((k) => !inFlightAtKill.has(k) && killedAt - (f.slowCalls.doneAt.get(k) ?? 0) > 1000);
    expect(unexplained).toEqual([]);
    console.log(JSON.stringify({ evaluation_takeover_ms: took.ms, repeated: repeated.length, in_flight_at_kill: inFlightAtKill.size }));
  }, 240_000);

});
