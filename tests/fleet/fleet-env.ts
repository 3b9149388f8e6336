import postgres from "postgres";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { trainingFake, type TrainingFake } from "../fake-llm/training";
import { createScratchPostgres } from "../helpers/test-db";
import { startServer, type ServerProcess } from "../server/spawn-server";

/**
 * Several selfjudge processes on one scratch PostgreSQL database and one fake LLM (shared by the
 * fleet process test and bench/multi-instance.ts). The fake's annotation calls take `delayMs` and
 * are tracked per prompt, so takeover duplicates and concurrent double work can be counted.
 */
export interface Fleet {
  fake: FakeLlm;
  sim: TrainingFake;
  servers: ServerProcess[];
  /** Direct connection to the fleet's database, for lease and row checks. */
  sql: postgres.Sql;
  url: string;
  calls: AnnotationCalls;
  /** Judge calls to the model `fake-slow` (a candidate version evaluated in the background), tracked the same way. */
  slowCalls: AnnotationCalls;
  start(extraEnv?: Record<string, string>): Promise<ServerProcess>;
  /** The instance whose log says it works `id` with the worker id now holding the lease. */
  holder(owner: string): ServerProcess | undefined;
  close(): Promise<void>;
}

export interface AnnotationCalls {
  delayMs: number;
  /** Completed calls per prompt (a pair in one order). */
  done: Map<string, number>;
  /** Prompts in flight now, with how many calls each. */
  inFlight: Map<string, number>;
  /** Highest number of calls in flight at once for one prompt (2 = two instances on the same item). */
  maxConcurrentSame: number;
  total: number;
  /** When each prompt's last call completed (ms since epoch). */
  doneAt: Map<string, number>;
}

function tracked(delayMs: number): { calls: AnnotationCalls; gate: (req: { messages: unknown }) => Promise<void> } {
  const calls: AnnotationCalls = { delayMs, done: new Map(), inFlight: new Map(), maxConcurrentSame: 0, total: 0, doneAt: new Map() };
  const gate = async (req: { messages: unknown }) => {
    const key = JSON.stringify(req.messages);
    calls.total += 1;
    const n = (calls.inFlight.get(key) ?? 0) + 1;
    calls.inFlight.set(key, n);
    calls.maxConcurrentSame = Math.max(calls.maxConcurrentSame, n);
    await new Promise((r) => setTimeout(r, calls.delayMs));
    const left = (calls.inFlight.get(key) ?? 1) - 1;
    if (left === 0) calls.inFlight.delete(key);
    else calls.inFlight.set(key, left);
    calls.done.set(key, (calls.done.get(key) ?? 0) + 1);
    calls.doneAt.set(key, Date.now());
  };
  return { calls, gate };
}

export async function startFleet(serverUrl: string, o: { delayMs?: number; slowDelayMs?: number; env?: Record<string, string> } = {}): Promise<Fleet> {
  const annotation = tracked(o.delayMs ?? 300);
  const slow = tracked(o.slowDelayMs ?? 1000);
  const calls = annotation.calls;
  const sim = trainingFake({ annotationGate: annotation.gate });
  const behavior: typeof sim.behavior = async (req, ctx) => {
    if (req.model === "fake-slow") await slow.gate(req);
    return sim.behavior(req, ctx);
  };
  const fake = await startFakeLlm({ behavior });
  const scratch = await createScratchPostgres(serverUrl, "sj_fleet");
  const sql = postgres(scratch.url, { max: 2, onnotice: () => {} });
  const servers: ServerProcess[] = [];
  return {
    fake,
    sim,
    servers,
    sql,
    url: scratch.url,
    calls,
    slowCalls: slow.calls,
    async start(extraEnv = {}) {
      const s = await startServer({
        DATABASE_URL: scratch.url,
        OPENAI_BASE_URL: fake.url,
        JUDGE_MODEL: "fake-judge",
        OPENAI_API_KEY: "k",
        LLM_MAX_RETRIES: "0",
        ...o.env,
        ...extraEnv,
      });
      servers.push(s);
      await s.ready(90_000);
      return s;
    },
    holder(owner) {
      return servers.find((s) => s.child.exitCode === null && s.child.signalCode === null && s.output().includes(`"worker":"${owner}"`));
    },
    async close() {
      await Promise.all(servers.splice(0).map((s) => s.stop("SIGKILL")));
      await sql.end({ timeout: 5 });
      await fake.close();
      await scratch.drop();
    },
  };
}

/** Polls `read` every 50 ms until `cond` holds; returns the value and the ms it took. */
export async function waitFor<T>(read: () => Promise<T>, cond: (v: T) => boolean, timeoutMs: number, what: string): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (cond(value)) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function runLease(sql: postgres.Sql, id: string): Promise<{ owner: string | null; status: string; step: string | null; annotated: number }> {
  const [row] = await sql<{ owner: string | null; status: string; step: string | null; annotated: number }[]>`
    select r.lease_owner as owner, r.status, r.current_step as step,
      (select count(distinct pair_id)::int from training_judgments j where j.run_id = r.id) as annotated
    from training_runs r where r.id = ${id}`;
  return row!;
}

export async function evaluationLease(sql: postgres.Sql, id: string): Promise<{ owner: string | null; status: string; done: number }> {
  const [row] = await sql<{ owner: string | null; status: string; done: number }[]>`
    select e.lease_owner as owner, e.status,
      (select count(*)::int from evaluation_items i where i.evaluation_id = e.id) as done
    from evaluations e where e.id = ${id}`;
  return row!;
}
