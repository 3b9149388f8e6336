import { expect } from "vitest";
import { sql } from "drizzle-orm";
import { rawRows } from "../../src/db/client";
import { createTestApp, type TestApp, type TestAppOptions } from "../helpers/test-app";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { samplePool, trainingFake, type TrainingFake, type TrainingFakeOptions } from "../fake-llm/training";

export interface TrainingEnv {
  fake: FakeLlm;
  sim: TrainingFake;
  t: TestApp;
  close(): Promise<void>;
}

/** The real app with pg-boss workers, pointed at a fake LLM that plays generator, classifier and judge. */
export async function startTrainingEnv(o: { fake?: TrainingFakeOptions; app?: TestAppOptions } = {}): Promise<TrainingEnv> {
  const sim = trainingFake(o.fake);
  const fake = await startFakeLlm({ behavior: sim.behavior });
  const t = await createTestApp({ llmUrl: fake.url, jobs: true, ...o.app });
  return {
    fake,
    sim,
    t,
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

export async function seedPool(t: TestApp, n: number, evaluator?: string): Promise<void> {
  const items = samplePool(n);
  for (let i = 0; i < items.length; i += 1000) {
    const res = await t.call("POST", "/v1/traffic", { ...(evaluator ? { evaluator } : {}), items: items.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
}

export type RunReader = { call(method: "GET", path: string): Promise<{ status: number; json: any }> };

export async function waitForRun(
  t: RunReader,
  id: string,
  until: (run: any) => boolean,
  timeoutMs = 60_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  for (;;) {
    const res = await t.call("GET", `/v1/training/runs/${id}`);
    expect(res.status).toBe(200);
    last = res.json;
    if (until(last)) return last;
    if (Date.now() > deadline) throw new Error(`run ${id} did not reach the expected state: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const finished = (r: any) => ["completed", "failed", "canceled"].includes(r.status);

export async function query<T = Record<string, unknown>>(t: TestApp, q: ReturnType<typeof sql>): Promise<T[]> {
  return rawRows<T>(t.database.db, q);
}

/**
 * The checks every finished run must pass: each kept judgment picks y_w (its verdict is the
 * side where y_w is shown), kept A-wins equal B-wins in every iteration, and no held-out
 * instruction is anywhere in the training data.
 */
export async function assertTrainingInvariants(t: TestApp, runId: string): Promise<void> {
  const { parseVerdict } = await import("../../src/judging");
  const { extractAnswers } = await import("../fake-llm/judges");
  const { MARKER } = await import("../fake-llm/training");
  const sft = await query<{ iteration: number; label: string; order: string; chosen_judgment: string; prompt: any; chosen: string }>(
    t,
    sql`select e.iteration, e.label, e."order", e.chosen_judgment, e.prompt, p.chosen
          from training_examples e join training_pairs p on p.id = e.pair_id
         where e.run_id = ${runId} and e.kind = 'sft'`,
  );
  expect(sft.length).toBeGreaterThan(0);
  for (const e of sft) {
    expect(parseVerdict(e.chosen_judgment).vote).toBe(e.label);
    expect(e.label).toBe(e.order === "ab" ? "A" : "B");
    const prompt = typeof e.prompt === "string" ? JSON.parse(e.prompt) : e.prompt;
    const shown = extractAnswers({ messages: prompt });
    expect(shown).not.toBeNull();
    const ywSide = e.label === "A" ? shown!.a : shown!.b;
    expect(ywSide).toContain(MARKER);
    expect(ywSide).toBe(e.chosen.trim());
  }
  const byIt = new Map<number, { A: number; B: number }>();
  for (const e of sft) {
    const c = byIt.get(e.iteration) ?? { A: 0, B: 0 };
    c[e.label as "A" | "B"] += 1;
    byIt.set(e.iteration, c);
  }
  for (const c of byIt.values()) expect(c.A).toBe(c.B);

  const leaked = await query(
    t,
    sql`select p.id from training_pairs p join traffic tr on tr.id = p.traffic_id
         where p.run_id = ${runId} and p.split = 'train' and tr.split <> 'train'`,
  );
  expect(leaked).toEqual([]);
  const heldoutInTraining = await query(
    t,
    sql`select e.id from training_examples e join training_pairs p on p.id = e.pair_id
         where e.run_id = ${runId}
           and (p.split <> 'train' or exists (select 1 from heldout_items h where h.instruction = p.instruction))`,
  );
  expect(heldoutInTraining).toEqual([]);
}
