import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { evaluationItems } from "../../src/db/schema";
import { createEvaluation, runEvaluation } from "../../src/evaluation";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { byModelJudge, heldoutItems, waitDone } from "./helpers";

let fake: FakeLlm;
let offline: TestApp;
let online: TestApp | undefined;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: byModelJudge });
  // An instance without a job runner stores evaluations that no job ever announces, as a process
  // killed between the insert and the send (or mid-run) would leave them.
  offline = await createTestApp({ llmUrl: fake.url, env: { LLM_MAX_RETRIES: "0" } });
  expect((await offline.call("POST", "/v1/heldout", { items: heldoutItems(12) })).json.inserted).toBe(12);
  expect((await offline.call("POST", "/v1/versions", { model: "oracle" })).status).toBe(201);
});
afterAll(async () => {
  await online?.close();
  await offline?.close();
  await fake?.close();
});

describe("evaluations at startup", () => {
  it("a starting worker picks up queued and half-done evaluations and finishes each once", async () => {
    const evaluatorId = (await findEvaluatorByName(offline.database.db, "default"))!.id;
    const queued = await createEvaluation(offline.deps, { evaluatorId, version: "v2" });
    const half = await createEvaluation(offline.deps, { evaluatorId, version: "v2" });
    const ctl = new AbortController();
    let answered = 0;
    fake.setBehavior((req, ctx) => {
      if (++answered >= 6) ctl.abort(new Error("simulated crash"));
      return byModelJudge(req, ctx);
    });
    expect((await runEvaluation(offline.deps, half.id, { signal: ctl.signal, concurrency: 1 })).status).toBe("running");
    fake.setBehavior(byModelJudge);

    online = await createTestApp({ llmUrl: fake.url, env: { LLM_MAX_RETRIES: "0" }, jobs: true, database: offline.database });
    for (const ev of [queued, half]) {
      const done = await waitDone(online, ev.id);
      expect(done.error ?? null, JSON.stringify(done).slice(0, 500)).toBeNull();
      expect(done.status).toBe("completed");
      const units = await online.database.db
        .select({ item: evaluationItems.heldoutItemId, version: evaluationItems.versionId })
        .from(evaluationItems)
        .where(eq(evaluationItems.evaluationId, ev.id));
      expect(units).toHaveLength(24);
      expect(new Set(units.map((u) => `${u.item}:${u.version}`)).size).toBe(24);
    }
  });
});
