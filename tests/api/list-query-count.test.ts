import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAuditEvent } from "../../src/db/queries/audit";
import { insertImportingDataset, insertItems, markDatasetReady } from "../../src/db/queries/datasets";
import { insertEvaluation } from "../../src/db/queries/evaluations";
import { insertHeldoutItems } from "../../src/db/queries/heldout";
import { insertJudgment } from "../../src/db/queries/judgments";
import { insertKey } from "../../src/db/queries/keys";
import { insertVersion } from "../../src/db/queries/versions";
import { trainingRuns } from "../../src/db/schema";
import { insertEvaluator } from "../../src/evaluators/bootstrap";
import { countQueries } from "../helpers/query-counter";
import { createTestApp, type TestApp } from "../helpers/test-app";

// Every list endpoint loads what it presents in a constant number of queries per page: the count
// for a page of 50 rows equals the count for a page of 1 (no per-row lookups).

let t: TestApp;
let counter: ReturnType<typeof countQueries>;
let evaluatorId = "";
let seedVersionId = "";
const EV = "qc";

beforeAll(async () => {
  t = await createTestApp();
  counter = countQueries(t.database);
});

/** The evaluator the per-evaluator listings fill, created after the evaluators listing ran. */
async function qc() {
  if (evaluatorId) return;
  evaluatorId = (await insertEvaluator(t.database.db, { name: EV, seedModel: "fake-judge" }, new Date())).id;
  seedVersionId = (await t.call("GET", `/v1/versions/active?evaluator=${EV}`)).json.id;
}
afterAll(async () => {
  counter?.restore();
  await t?.close();
});

/** Brings a listing to `n` rows. Each list starts with none of its rows unless noted. */
type Seeder = (have: number, want: number) => Promise<void>;

async function addRuns(have: number, want: number) {
  await qc();
  const db = t.database.db;
  for (let i = have; i < want; i++) {
    // Each run has an evaluation in progress, so the listing's evaluation lookup runs at any size.
    const evaluation = await insertEvaluation(db, { evaluatorId, candidateVersionId: seedVersionId, progressTotal: 10, progressDone: i % 10 });
    await db.insert(trainingRuns).values({
      evaluatorId,
      params: { iterations: 1 },
      status: "completed",
      iteration: 1,
      state: { curated: true, iters: { "1": { evaluation_id: evaluation.id } } },
    });
  }
}

const listings: Array<{ name: string; path: string; seed: Seeder; rows: (json: any) => number; startsWith?: number }> = [
  {
    name: "GET /v1/evaluators",
    path: "/v1/evaluators",
    // `default` exists from the start.
    startsWith: 1,
    seed: async (have, want) => {
      for (let i = have; i < want; i++) await insertEvaluator(t.database.db, { name: `qc-extra-${i}`, seedModel: "m" }, new Date());
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/versions",
    path: `/v1/versions?evaluator=${EV}`,
    startsWith: 1,
    seed: async (have, want) => {
      await qc();
      for (let i = have; i < want; i++) await insertVersion(t.database.db, { evaluatorId, model: `m${i}`, promptTemplate: "t" });
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/judgments",
    path: `/v1/judgments?evaluator=${EV}&limit=100`,
    seed: async (have, want) => {
      await qc();
      for (let i = have; i < want; i++) {
        await insertJudgment(t.database.db, {
          evaluatorId,
          versionId: seedVersionId,
          requestHash: `h${i}`,
          instruction: `q${i}`,
          responseA: "a",
          responseB: "b",
          samples: 1,
          swap: true,
          status: "ok",
          verdict: "A",
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, llm_requests: 2 },
          latencyMs: 1,
        } as never);
      }
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/heldout",
    path: `/v1/heldout?evaluator=${EV}&limit=100`,
    seed: async (have, want) => {
      await qc();
      const items = Array.from({ length: want - have }, (_, k) => ({
        instruction: `held ${have + k}`,
        response_a: "a",
        response_b: "b",
        label: "A" as const,
        source: "import" as const,
      }));
      await insertHeldoutItems(t.database.db, evaluatorId, items);
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/evaluations",
    path: `/v1/evaluations?evaluator=${EV}&limit=100`,
    seed: async (have, want) => {
      await qc();
      for (let i = have; i < want; i++) await insertEvaluation(t.database.db, { evaluatorId, candidateVersionId: seedVersionId });
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/audit",
    path: `/v1/audit?evaluator=${EV}&limit=100`,
    seed: async (have, want) => {
      await qc();
      for (let i = have; i < want; i++) {
        await insertAuditEvent(t.database.db, { evaluatorId, action: "register", actor: "qc", toVersionId: seedVersionId, fromVersionId: seedVersionId });
      }
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/keys",
    path: "/v1/keys",
    seed: async (have, want) => {
      for (let i = have; i < want; i++) await insertKey(t.database.db, { name: `k${i}`, scope: "judge", prefix: "sj_x", hash: `hash-${i}` });
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/training/runs",
    path: `/v1/training/runs?evaluator=${EV}&limit=100`,
    seed: addRuns,
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/datasets",
    path: `/v1/datasets?evaluator=${EV}&limit=100`,
    seed: async (have, want) => {
      await qc();
      for (let i = have; i < want; i++) {
        const d = await insertImportingDataset(t.database.db, { evaluatorId, name: `qc-ds-${i}`, format: "pairs", actor: null });
        await markDatasetReady(t.database.db, d!.id, { received: 1, itemCount: 0, duplicates: 0, subsets: {} });
      }
    },
    rows: (j) => j.data.length,
  },
  {
    name: "GET /v1/datasets/{name}/items",
    path: `/v1/datasets/qc-ds-0/items?evaluator=${EV}&limit=100`,
    seed: async (have, want) => {
      const ds = (await t.call("GET", `/v1/datasets/qc-ds-0?evaluator=${EV}`)).json;
      const rows = Array.from({ length: want - have }, (_, k) => ({
        datasetId: ds.id,
        seq: have + k,
        subset: "s",
        instruction: `q${have + k}`,
        responseA: "a",
        responseB: "b",
        label: "A" as const,
        pairHash: `p${have + k}`,
        contentHash: `c${have + k}`,
      }));
      await insertItems(t.database, rows);
    },
    rows: (j) => j.data.length,
  },
];

async function queriesFor(path: string) {
  counter.reset();
  const res = await t.call("GET", path);
  const n = counter.count;
  expect(res.status, res.text).toBe(200);
  return { n, json: res.json };
}

describe("list endpoints run a constant number of queries per page", () => {
  // In order: the evaluators listing before `qc` exists, evaluations before the runs add theirs.
  it.each(listings.map((l) => [l.name, l] as const))("%s: the same count at 1 and at 50 rows", async (_name, l) => {
    await l.seed(l.startsWith ?? 0, 1);
    const one = await queriesFor(l.path);
    expect(l.rows(one.json)).toBe(1);
    await l.seed(1, 50);
    const fifty = await queriesFor(l.path);
    expect(l.rows(fifty.json)).toBe(50);
    expect(fifty.n).toBe(one.n);
    // A handful at most: resolve the evaluator, the page, grouped extras.
    expect(one.n).toBeGreaterThan(0);
    expect(one.n).toBeLessThanOrEqual(7);
  });
});
