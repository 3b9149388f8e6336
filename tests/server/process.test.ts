import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createScratchPostgres, ON_POSTGRES } from "../helpers/test-db";
import { killAll, runMigrateCli, startServer, type ServerProcess } from "./spawn-server";

// `src/server.ts` as a real child process: what an operator sees when starting, stopping or
// misconfiguring the service. On the PostgreSQL leg every test gets its own database.

const ADMIN_KEY = "process-test-admin-key-0123456789";
const running: ServerProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await killAll(running);
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Where the server keeps its data on this leg: a temp PGlite folder or a scratch database. */
async function freshStore(): Promise<{ env: Record<string, string>; dataDir?: string }> {
  if (ON_POSTGRES) {
    const scratch = await createScratchPostgres(process.env.DATABASE_URL, "sj_proc");
    cleanups.push(scratch.drop);
    return { env: { DATABASE_URL: scratch.url } };
  }
  const root = await mkdtemp(join(tmpdir(), "selfjudge-proc-"));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const dataDir = join(root, "pglite");
  return { env: { DATA_DIR: dataDir }, dataDir };
}

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServer(env);
  running.push(s);
  await s.ready();
  return s;
}

async function evaluatorNames(s: ServerProcess, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await s.fetchJson("/v1/evaluators", { headers });
  expect(res.status).toBe(200);
  return (res.json.data as Array<{ name: string }>).map((e) => e.name).sort();
}

async function createEvaluator(s: ServerProcess, name: string): Promise<void> {
  const res = await s.fetchJson("/v1/evaluators", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, criteria: "harmlessness" }),
  });
  expect(res.status).toBe(201);
}

/** Runs the server with a configuration it must reject, and returns how it ended. */
async function startExpectingFailure(env: Record<string, string>) {
  const s = await startServer(env);
  running.push(s);
  const exit = await s.exited;
  return { exit, output: s.output() };
}

describe("server process", () => {
  if (ON_POSTGRES) {
    it("shares one PostgreSQL database between processes, seeds `default` once, and keeps the data through SIGTERM and SIGKILL", async () => {
      const store = await freshStore();
      const env = { ...store.env, JUDGE_MODEL: "seed-model-x" };
      // Started together, so both race through migrations and the `default` seed.
      const [a, b] = await Promise.all([start(env), start(env)]);
      expect((await a.fetchJson("/healthz")).json).toMatchObject({ status: "ok", database: "postgres" });
      expect((await b.fetchJson("/healthz")).status).toBe(200);
      const list = await b.fetchJson("/v1/evaluators");
      expect(list.json.data).toHaveLength(1);
      expect(list.json.data[0]).toMatchObject({
        name: "default",
        seed_model: "seed-model-x",
        active_version: { name: "v1", model: "seed-model-x" },
      });

      await createEvaluator(a, "safety");
      expect(await evaluatorNames(b)).toEqual(["default", "safety"]);
      expect(await a.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      expect(a.output()).toContain('"msg":"bye"');
      expect(await evaluatorNames(b)).toEqual(["default", "safety"]);

      // A crashed process leaves nothing behind that stops the next one.
      expect(await b.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
      const c = await start(env);
      expect(await evaluatorNames(c)).toEqual(["default", "safety"]);
      expect((await c.stop("SIGINT")).code).toBe(0);
    }, 120_000);
  } else {
    // One data folder through a whole life; each start on an existing folder is much cheaper
    // than creating a new one.
    it("guards one data folder: seeds `default` on first start, refuses a second process, keeps data through SIGTERM, takes over a SIGKILL's stale lock", async () => {
      const store = await freshStore();
      const lock = join(store.dataDir!, ".selfjudge.lock");
      const env = { ...store.env, JUDGE_MODEL: "seed-model-x" };
      const first = await start(env);
      expect((await first.fetchJson("/healthz")).json).toMatchObject({ status: "ok", database: "pglite" });
      const list = await first.fetchJson("/v1/evaluators");
      expect(list.json.data).toHaveLength(1);
      expect(list.json.data[0]).toMatchObject({
        name: "default",
        seed_model: "seed-model-x",
        active_version: { name: "v1", model: "seed-model-x" },
      });

      const refused = await startExpectingFailure(env);
      expect(refused.exit.code).not.toBe(0);
      expect(refused.exit.code).not.toBeNull();
      expect(refused.output).toContain(store.dataDir!);
      expect(refused.output).toContain("in use");
      expect((await first.fetchJson("/healthz")).status).toBe(200);

      await createEvaluator(first, "safety");
      expect(await first.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      expect(first.output()).toContain('"msg":"bye"');
      expect(existsSync(lock)).toBe(false);

      const second = await start(env);
      expect(await evaluatorNames(second)).toEqual(["default", "safety"]);
      expect(await second.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
      expect(existsSync(lock)).toBe(true);

      const third = await start(env);
      expect((await third.fetchJson("/healthz")).status).toBe(200);
      expect(await evaluatorNames(third)).toEqual(["default", "safety"]);
      expect((await third.stop("SIGINT")).code).toBe(0);
      expect(existsSync(lock)).toBe(false);

      // `npm run db:migrate` on a folder with data: nothing to do, and it lets go of the folder.
      const migrated = await runMigrateCli(env);
      expect(migrated.code, migrated.output).toBe(0);
      expect(migrated.output).toContain("migrations applied (pglite)");
      expect(existsSync(lock)).toBe(false);
    }, 150_000);
  }

  it("stops with exit code 2 and a message naming the variable when a setting is invalid", async () => {
    const bad: Array<[string, string]> = [
      ["PORT", "abc"],
      ["OPENAI_BASE_URL", "not-a-url"],
    ];
    const dataDir = join(tmpdir(), `selfjudge-never-created-${process.pid}`);
    // Config is checked before anything is opened, so these never touch a database. Every
    // variable's rules are covered by config.test.ts; this is about how the process ends.
    const results = await Promise.all(bad.map(([name, value]) => startExpectingFailure({ DATA_DIR: dataDir, [name]: value })));
    results.forEach(({ exit, output }, i) => {
      const name = bad[i]![0];
      expect(exit.code, output).toBe(2);
      expect(output).toContain(`${name}:`);
      for (const [other] of bad) if (other !== name) expect(output).not.toContain(`${other}:`);
    });
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it("refuses HOST=0.0.0.0 without SELFJUDGE_ADMIN_KEY, saying why, before opening any database", async () => {
    const dataDir = join(tmpdir(), `selfjudge-never-created-${process.pid}-host`);
    const { exit, output } = await startExpectingFailure({ DATA_DIR: dataDir, HOST: "0.0.0.0" });
    expect(exit.code).toBe(2);
    expect(output).toContain("refusing to bind a non-loopback address without SELFJUDGE_ADMIN_KEY");
    expect(existsSync(dataDir)).toBe(false);
  });

  it("binds 0.0.0.0 with SELFJUDGE_ADMIN_KEY and then every /v1 route needs the bearer", async () => {
    const store = await freshStore();
    const s = await start({ ...store.env, HOST: "0.0.0.0", SELFJUDGE_ADMIN_KEY: ADMIN_KEY, JOBS_ENABLED: "false" });
    expect(s.output()).not.toContain("authentication is OFF");

    expect((await s.fetchJson("/healthz")).status).toBe(200);
    const anonymous = await s.fetchJson("/v1/evaluators");
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain("application/problem+json");
    const wrong = await s.fetchJson("/v1/evaluators", { headers: { authorization: "Bearer not-the-key-0123456789" } });
    expect(wrong.status).toBe(401);
    const write = await s.fetchJson("/v1/evaluators", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "nope" }),
    });
    expect(write.status).toBe(401);
    expect(await evaluatorNames(s, { authorization: `Bearer ${ADMIN_KEY}` })).toEqual(["default"]);

    // Listening on every interface, not just loopback: reachable on the machine's own address.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal);
    if (external) {
      const res = await fetch(`http://${external.address}:${s.port}/healthz`);
      expect(res.status).toBe(200);
    }
  }, 90_000);
});
