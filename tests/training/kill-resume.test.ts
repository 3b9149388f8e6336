import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { samplePool, trainingFake, type TrainingFake } from "../fake-llm/training";
import { createTestDatabase, ON_POSTGRES } from "../helpers/test-db";
import { killAll, startServer, type ServerProcess } from "../server/spawn-server";
import { finished, waitForRun } from "./helpers";

const N = 4;

/** The server as its own OS process (node + tsx loader, no wrapper, so SIGKILL hits the server itself). */
async function server(env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServer({ JUDGE_MODEL: "fake-judge", OPENAI_API_KEY: "k", LLM_MAX_RETRIES: "0", ...env });
  await s.ready();
  return s;
}

function client(s: ServerProcess) {
  return {
    async call(method: string, path: string, body?: unknown) {
      const res = await s.fetchJson(path, {
        method,
        headers: body !== undefined ? { "content-type": "application/json" } : {},
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, json: res.json };
    },
  };
}

describe("a training run survives SIGKILL in the middle of annotation", () => {
  let fake: FakeLlm;
  let sim: TrainingFake;
  let dataDir: string | undefined;
  let pg: Database | undefined;
  let holding = false;
  let released: () => void = () => {};
  let heldGate = new Promise<void>((r) => (released = r));
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    sim = trainingFake({
      // After a few annotation requests, hold the rest: the run is then provably mid-annotation.
      annotationGate: () => (holding || sim.counts.annotate > 6 ? ((holding = true), heldGate) : undefined),
    });
    fake = await startFakeLlm({ behavior: sim.behavior });
    if (ON_POSTGRES) pg = await createTestDatabase();
    else dataDir = await mkdtemp(join(tmpdir(), "selfjudge-kill-"));
  });
  afterAll(async () => {
    await killAll(servers);
    released();
    await fake?.close();
    await pg?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("resumes after a restart and finishes without duplicate pairs or judgments", async () => {
    const env = { OPENAI_BASE_URL: fake.url, ...(pg ? { DATABASE_URL: pg.connectionString! } : { DATA_DIR: dataDir! }) };
    const first = await server(env);
    servers.push(first);
    const api1 = client(first);
    const ingest = await api1.call("POST", "/v1/traffic", { items: samplePool(80) });
    expect(ingest.json.inserted).toBe(80);
    const start = await api1.call("POST", "/v1/training/runs", {
      sample_size: 20,
      samples_per_pair: N,
      heldout_fraction: 0.3,
      heldout_size: 20,
      concurrency: 2,
      seed: 3,
    });
    expect(start.status).toBe(202);
    const id = start.json.id as string;

    const mid = await waitForRun(api1, id, (r) => r.current_step === "annotate" && r.counters.judgments_sampled > 0 && holding);
    expect(mid.status).toBe("running");
    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
    const annotatedBeforeKill = mid.counters.pairs_annotated as number;
    const requestsBeforeRestart = sim.counts.annotate;
    expect(annotatedBeforeKill).toBeGreaterThan(0);
    // Requests held when the process died get their answers into a closed socket.
    holding = false;
    released();
    heldGate = Promise.resolve();

    const second = await server(env);
    servers.push(second);
    const api2 = client(second);
    const run = await waitForRun(api2, id, finished, 90_000);
    expect(run.error).toBeNull();
    expect(run.status).toBe("completed");

    const c = run.counters;
    expect(c.pairs_total).toBe(c.selected + c.heldout_selected);
    expect(c.pairs_annotated).toBe(c.pairs_built);
    // Exactly N judgments per pair: nothing duplicated, nothing missing.
    expect(c.judgments_sampled).toBe(c.pairs_built * N);
    expect(c.kept_a).toBe(c.kept_b);
    // Pairs annotated before the kill were not judged again (2 requests per pair, one per order).
    const requestsAfterRestart = sim.counts.annotate - requestsBeforeRestart;
    expect(requestsAfterRestart).toBeLessThanOrEqual(2 * (c.pairs_built - annotatedBeforeKill));
    const versions = await api2.call("GET", "/v1/versions");
    expect(versions.json.data.filter((v: any) => v.training_run_id === id)).toHaveLength(1);

    await second.stop("SIGTERM");
  }, 180_000);
});
