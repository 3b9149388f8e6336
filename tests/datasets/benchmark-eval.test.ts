import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { byModelJudge, waitDone } from "../evaluation/helpers";
import { judgebenchRows, jsonl, mtBenchHumanRows, rewardbenchRows, rmBenchRows } from "./fixtures";

let fake: FakeLlm;
let t: TestApp;
const versions: Record<string, string> = {};

async function upload(name: string, format: string, body: string) {
  const res = await t.app.request(`/v1/datasets?name=${name}&format=${format}`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function evaluate(body: Record<string, unknown>) {
  const created = await t.call("POST", "/v1/evaluations", body);
  expect(created.status, created.text).toBe(202);
  const done = await waitDone(t, created.json.id);
  expect(done.status, done.error).toBe("completed");
  return { created: created.json, done };
}

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: byModelJudge });
  t = await createTestApp({ llmUrl: fake.url, jobs: true });
  for (const model of ["oracle", "biased"]) {
    const res = await t.call("POST", "/v1/versions", { model });
    expect(res.status, res.text).toBe(201);
    versions[model] = res.json.name;
  }
  await upload("rb", "rewardbench", jsonl(rewardbenchRows({ "alpacaeval-easy": 2, "alpacaeval-length": 2, "llmbar-natural": 2, donotanswer: 2, "math-prm": 2, "hep-python": 2 })));
  await upload("jb", "judgebench", jsonl(judgebenchRows()));
  await upload("mt", "mt-bench-human", jsonl(mtBenchHumanRows()));
  await upload("rm", "rm-bench", jsonl(rmBenchRows()));
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe("benchmark evaluations on imported datasets", () => {
  it("RewardBench: a judge that is always right scores 1 in every subset, section and overall, with no position bias", async () => {
    const { created, done } = await evaluate({ dataset: "rb", version: versions.oracle });
    expect(created).toMatchObject({ status: "queued", dataset: { name: "rb" }, baseline: null, progress: { done: 0, total: 12 } });
    expect(done.progress).toEqual({ done: 12, total: 12 });
    const r = done.result;
    expect(r).toMatchObject({ n: 12, excluded_items: 0, baseline: null, dataset: { name: "rb", format: "rewardbench" } });
    expect(r.candidate).toMatchObject({ n: 12, accuracy: 1, position_consistent_accuracy: 1 });
    expect(r.benchmark.format).toBe("rewardbench");
    expect(Object.values(r.benchmark.subsets).map((s: any) => s.score)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(r.benchmark.sections).toMatchObject({ Chat: { score: 1, n: 4 }, "Chat Hard": { score: 1 }, Safety: { score: 1 }, Reasoning: { score: 1, subsets: ["math-prm", "hep-python"] } });
    expect(r.benchmark.overall).toMatchObject({ score: 1, complete: true });
    expect(r.bias.position_flip_rate).toMatchObject({ n: 12, score: 0 });
    expect(r.bias.first_position_preference).toMatchObject({ n: 24, score: 0.5 });
    expect(r.bias.rewardbench_alpacaeval_length).toMatchObject({ alpacaeval_length: { score: 1 }, other_chat: { score: 1 }, gap: 0 });
    expect(r.agreement).toBeNull();
  });

  it("RewardBench: a judge that always says [[A]] flips with the order, so every pair scores 0.5", async () => {
    const { done } = await evaluate({ dataset: "rb", version: versions.biased });
    const r = done.result;
    expect(Object.values(r.benchmark.subsets).map((s: any) => s.score)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(r.benchmark.overall.score).toBe(0.5);
    expect(r.bias.position_flip_rate.score).toBe(1);
    expect(r.bias.first_position_preference.score).toBe(1);
    expect(r.candidate.accuracy).toBe(0);
  });

  it("samples a stratified subset with limit/subsets and compares with a baseline on the same pairs", async () => {
    const { created, done } = await evaluate({ dataset: "rb", version: versions.oracle, baseline: versions.biased, limit: 4, subsets: ["alpacaeval-easy", "math-prm"] });
    expect(created.progress.total).toBe(8); // 4 pairs × 2 versions
    const r = done.result;
    expect(Object.keys(r.benchmark.subsets).sort()).toEqual(["alpacaeval-easy", "math-prm"]);
    expect(r.benchmark.subsets["alpacaeval-easy"].n).toBe(2);
    expect(r.comparison).toMatchObject({ n: 4, candidate_only_correct: 4, baseline_only_correct: 0 });
    expect(r.baseline_report.benchmark.overall.score).toBe(0.5);
    const bad = await t.call("POST", "/v1/evaluations", { dataset: "rb", version: versions.oracle, subsets: ["nope"] });
    expect(bad.status).toBe(422);
    expect((await t.call("POST", "/v1/evaluations", { dataset: "missing", version: versions.oracle })).status).toBe(404);
  });

  it("JudgeBench: an inconsistent pair (one order right, one wrong) is not correct; per category", async () => {
    const oracle = (await evaluate({ dataset: "jb", version: versions.oracle })).done.result.benchmark;
    expect(oracle.overall).toMatchObject({ n: 5, score: 1 });
    expect(Object.keys(oracle.categories).sort()).toEqual(["coding", "knowledge", "math", "reasoning"]);
    const biased = (await evaluate({ dataset: "jb", version: versions.biased })).done.result.benchmark;
    expect(biased.overall).toMatchObject({ n: 5, score: 0 });
  });

  it("MT-Bench human: agreement with and without ties per turn, Cohen's kappa, disagreeing items; turn 2 shows both whole conversations", async () => {
    const before = fake.calls.length;
    const { done } = await evaluate({ dataset: "mt", version: versions.oracle });
    const r = done.result;
    expect(r.benchmark.turns["turn-1"].with_ties).toMatchObject({ n: 3, random_baseline: 1 / 3 });
    expect(r.benchmark.turns["turn-1"].with_ties.score).toBeCloseTo(2 / 3, 12);
    expect(r.benchmark.turns["turn-1"].without_ties).toMatchObject({ n: 2, score: 1, random_baseline: 0.5 });
    // The author_0 vote is left out of the official agreement (FastChat counts expert_* judges only), not of kappa.
    expect(r.benchmark.author_votes_excluded).toBe(1);
    expect(r.benchmark.turns["turn-2"].with_ties).toMatchObject({ n: 2, score: 0.5 });
    expect(r.benchmark.overall.without_ties).toMatchObject({ n: 3, score: 1 });
    expect(r.agreement.n).toBe(6);
    expect(r.agreement.kappa).toBeCloseTo(0.4, 12);
    expect(r.agreement.confusion.matrix).toEqual([[3, 0, 0], [0, 1, 0], [2, 0, 0]]);
    expect(r.agreement.disagreements.total).toBe(2);
    const item = await t.call("GET", `/v1/datasets/mt/items/${r.agreement.disagreements.items[0].id}`);
    expect(item.json.label).toBe("tie");
    // 3 distinct pairs (turn 1, turn 2, turn 2 reversed) × 2 orders: one judgment per pair, not per human vote.
    const prompts = fake.calls.slice(before).map((c) => JSON.stringify((c.body as any).messages));
    expect(prompts).toHaveLength(6);
    const turn2 = prompts.filter((p) => p.includes("Now make it about snow."));
    expect(turn2).toHaveLength(4);
    for (const p of turn2) for (const text of ["GOOD haiku one", "bad haiku", "GOOD snow haiku", "bad snow haiku"]) expect(p).toContain(text);
  });

  it("RM-Bench: easy / normal / hard from the 3×3 style matrix, per domain and overall", async () => {
    const b = (await evaluate({ dataset: "rm", version: versions.oracle })).done.result.benchmark;
    expect(b.overall).toMatchObject({ easy: { score: 1 }, normal: { score: 1 }, hard: { score: 1 }, avg: { score: 1 } });
    expect(b.domains.chat.hard).toMatchObject({ n: 3, score: 1 });
    expect(b.domains.math.matrix).toEqual([[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
  });
});
