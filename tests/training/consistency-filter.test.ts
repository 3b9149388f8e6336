import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runTraining, type RunOutcome } from "../../src/training/runner";
import { decideKept, rightInBothOrders, type SampledJudgment } from "../../src/training/selection";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { isTrainedJudge, POSITION_REASON, samplePool, trainingFake } from "../fake-llm/training";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { assertTrainingInvariants, query } from "./helpers";
import { createQueuedRun, testTrainingDeps } from "./test-deps";

const j = (sampleIndex: number, order: "ab" | "ba", picksChosen: boolean): SampledJudgment => ({
  sampleIndex,
  order,
  picksChosen,
  text: `${order}-${sampleIndex}`,
  vote: picksChosen ? (order === "ab" ? "A" : "B") : "tie",
});

describe("consistency filter (pure)", () => {
  it("keeps a pair only when some sample is right in each order, and draws the kept judgment from the right ones", () => {
    const both = [j(0, "ab", true), j(1, "ab", false), j(2, "ba", true), j(3, "ba", false)];
    const abOnly = [j(0, "ab", true), j(1, "ab", true), j(2, "ba", false), j(3, "ba", false)];
    expect(rightInBothOrders(both)).toBe(true);
    expect(rightInBothOrders(abOnly)).toBe(false);
    expect(decideKept(abOnly, () => 0.1, true)).toEqual({ kind: "inconsistent" });
    expect(decideKept(abOnly, () => 0.1, false).kind).toBe("kept");
    expect(decideKept([j(0, "ab", false), j(1, "ba", false)], () => 0.1, true)).toEqual({ kind: "no_correct" });
    for (const r of [0, 0.49, 0.51, 0.99]) {
      const d = decideKept(both, () => r, true);
      expect(d.kind).toBe("kept");
      if (d.kind === "kept") expect(d.judgment.picksChosen).toBe(true);
    }
  });
});

async function driveToEnd(run: () => Promise<RunOutcome>): Promise<RunOutcome> {
  for (let i = 0; i < 200; i++) {
    const outcome = await run();
    if (outcome.kind !== "continue") return outcome;
  }
  throw new Error("run did not finish");
}

// The seed annotator judges by position on 40% of pairs (always "the first answer"), so with
// y_w shown first it looks right for the wrong reason.
const RUN = { sample_size: 40, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 12, concurrency: 4, seed: 21, iterations: 1 };

describe("training with a position-biased annotator", () => {
  let fake: FakeLlm;
  let t: TestApp;
  beforeAll(async () => {
    const sim = trainingFake({ positionBias: (req) => (isTrainedJudge(req) ? 0 : 0.4) });
    fake = await startFakeLlm({ behavior: sim.behavior });
    t = await createTestApp({ llmUrl: fake.url });
    await t.call("POST", "/v1/traffic", { items: samplePool(120) });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  async function runWith(filter: boolean) {
    const id = await createQueuedRun(t, { ...RUN, consistency_filter: filter, auto_promote: false });
    expect(await driveToEnd(() => runTraining(testTrainingDeps(t), id))).toEqual({ kind: "finished", status: "completed" });
    const run = (await t.call("GET", `/v1/training/runs/${id}`)).json;
    const kept = await query<{ chosen_judgment: string; pair_id: string }>(
      t,
      sql`select chosen_judgment, pair_id from training_examples where run_id = ${id} and kind = 'sft'`,
    );
    return { id, run, kept, biased: kept.filter((k) => k.chosen_judgment.includes(POSITION_REASON)).length / kept.length };
  }

  it("the filter drops pairs right in one order only, counts them, keeps A/B balance, and keeps fewer position-driven judgments", async () => {
    const plain = await runWith(false);
    const filtered = await runWith(true);
    expect(plain.run.params.consistency_filter).toBe(false);
    expect(filtered.run.params.consistency_filter).toBe(true);
    expect(plain.run.iterations[0].counters.dropped_inconsistent).toBe(0);
    const c = filtered.run.iterations[0].counters;
    expect(c.dropped_inconsistent).toBeGreaterThan(0);
    expect(filtered.run.counters.dropped_inconsistent).toBe(c.dropped_inconsistent);
    expect(c.kept_a).toBe(c.kept_b);
    await assertTrainingInvariants(t, filtered.id);

    // Every kept pair (SFT and DPO alike) had a right judgment in each order.
    const unchecked = await query(
      t,
      sql`select e.pair_id from training_examples e where e.run_id = ${filtered.id}
            and not (exists (select 1 from training_judgments j where j.run_id = e.run_id and j.pair_id = e.pair_id and j."order" = 'ab' and j.picks_chosen)
                 and exists (select 1 from training_judgments j where j.run_id = e.run_id and j.pair_id = e.pair_id and j."order" = 'ba' and j.picks_chosen))`,
    );
    expect(unchecked).toEqual([]);
    expect(plain.biased).toBeGreaterThan(0);
    expect(filtered.biased).toBe(0);
    }, 120_000);
});
