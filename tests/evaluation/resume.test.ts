import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { evaluationItems } from "../../src/db/schema";
import { createEvaluation, runEvaluation } from "../../src/evaluation";
import { errorReply, startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { byModelJudge, heldoutItems } from "./helpers";

let fake: FakeLlm;
let t: TestApp;
let evaluatorId: string;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: byModelJudge });
  t = await createTestApp({ llmUrl: fake.url, env: { LLM_MAX_RETRIES: "0" } });
  evaluatorId = (await findEvaluatorByName(t.database.db, "default"))!.id;
  expect((await t.call("POST", "/v1/heldout", { items: heldoutItems(30) })).json.inserted).toBe(30);
  for (const model of ["oracle", "broken", "half-broken"]) expect((await t.call("POST", "/v1/versions", { model })).status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.setBehavior(byModelJudge));

async function rows(evaluationId: string) {
  return t.database.db
    .select({
      item: evaluationItems.heldoutItemId,
      version: evaluationItems.versionId,
      correct: evaluationItems.correct,
    })
    .from(evaluationItems)
    .where(eq(evaluationItems.evaluationId, evaluationId));
}

const chats = () => fake.chatRequests().length;

/** Behaviour wrapper that aborts `ctl` once `after` chat requests were answered in total. */
function abortAfter(after: number, ctl: AbortController, inner: Behavior): Behavior {
  let seen = 0;
  return (req, ctx) => {
    seen += 1;
    if (seen >= after) ctl.abort(new Error("simulated crash"));
    return inner(req, ctx);
  };
}

describe("resumable evaluations", () => {
  it("continues where a stopped run left off: no duplicate rows, no unit judged twice, progress carries on", async () => {
    const ev = await createEvaluation(t.deps, { evaluatorId, version: "v2" });
    expect(ev.progressTotal).toBe(60);

    const ctl = new AbortController();
    fake.setBehavior(abortAfter(24, ctl, byModelJudge));
    const first = await runEvaluation(t.deps, ev.id, { signal: ctl.signal, concurrency: 2 });
    expect(first.status).toBe("running");
    const partial = await rows(ev.id);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(60);
    expect(first.progressDone).toBe(partial.length);

    fake.setBehavior(byModelJudge);
    const before = chats();
    const second = await runEvaluation(t.deps, ev.id, { concurrency: 4 });
    expect(second.status).toBe("completed");
    // Only the missing units were judged again (a request the first run sent just before it stopped
    // may still land here, but it too is for a unit that was not stored).
    const items = new Map((await t.call("GET", "/v1/heldout?limit=500")).json.data.map((i: { id: string; instruction: string }) => [i.id, i.instruction]));
    const models = new Map((await t.call("GET", "/v1/versions")).json.data.map((v: { id: string; model: string }) => [v.id, v.model]));
    const stored = new Set(partial.map((r) => `${items.get(r.item)}|${models.get(r.version)}`));
    const asked = fake.chatRequests().slice(before).map((r) => `${/\[User Question\]\s*(.*)/.exec(r.messages.at(-1)!.content)![1]}|${r.model}`);
    expect(asked.filter((u) => stored.has(u))).toEqual([]);
    expect(new Set(asked).size).toBe(60 - partial.length);
    const all = await rows(ev.id);
    expect(all).toHaveLength(60);
    expect(new Set(all.map((r) => `${r.item}:${r.version}`)).size).toBe(60);
    expect(second.progressDone).toBe(60);
    expect((second.result as { n: number }).n).toBe(30);

    // Running a finished evaluation again does nothing.
    const again = chats();
    expect((await runEvaluation(t.deps, ev.id)).status).toBe("completed");
    expect(chats()).toBe(again);
  });

  it("records LLM failures as failed units, retries them on resume, and never scores them as verdicts", async () => {
    const ev = await createEvaluation(t.deps, { evaluatorId, version: "v2" });
    const ctl = new AbortController();
    // The provider rejects every request for a while, then the run is stopped.
    fake.setBehavior(abortAfter(40, ctl, () => errorReply(400, "model overloaded")));
    await runEvaluation(t.deps, ev.id, { signal: ctl.signal, concurrency: 1 });
    const failed = await rows(ev.id);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.correct === null)).toBe(true);

    fake.setBehavior(byModelJudge);
    const done = await runEvaluation(t.deps, ev.id);
    expect(done.status).toBe("completed");
    const after = await rows(ev.id);
    expect(after).toHaveLength(60);
    expect(after.every((r) => r.correct !== null)).toBe(true);
    expect((done.result as { excluded_items: number }).excluded_items).toBe(0);
  });

  it("leaves items out of both versions when one side's calls failed, and fails the evaluation when most did", async () => {
    // "half-broken" fails on the questions whose number is a multiple of 3 (10 of 30).
    fake.setBehavior((req, ctx) => {
      const question = Number(/question (\d+)/.exec(JSON.stringify(req.messages))?.[1] ?? -1);
      if (req.model === "half-broken" && question % 3 === 0) return errorReply(400, "context length exceeded");
      if (req.model === "broken") return errorReply(400, "no such model");
      return byModelJudge(req, ctx);
    });
    const some = await runEvaluation(t.deps, (await createEvaluation(t.deps, { evaluatorId, version: "v4", against: "v1" })).id);
    expect(some.status).toBe("completed");
    const r = some.result as { n: number; excluded_items: number; candidate: { llm_failures: number; n: number }; baseline: { n: number } };
    expect(r.excluded_items).toBe(10);
    expect(r.n).toBe(20);
    expect(r.candidate.llm_failures).toBe(10);
    expect(r.baseline.n).toBe(20);

    const all = await runEvaluation(t.deps, (await createEvaluation(t.deps, { evaluatorId, version: "v3", promote: true })).id);
    expect(all.status).toBe("failed");
    expect(all.error).toMatch(/LLM calls failed for 30 of 30 items/);
    expect(all.result).toBeNull();
    // The gate was not applied: the candidate is neither promoted nor rejected.
    expect((await t.call("GET", "/v1/versions/v3")).json.status).toBe("candidate");
    const [count] = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(evaluationItems)
      .where(eq(evaluationItems.evaluationId, all.id));
    expect(count?.n).toBe(60);
  });
});
