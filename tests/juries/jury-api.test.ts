import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { juryJudge } from "../fake-llm/jury";
import { startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { heldoutItems, waitDone } from "../evaluation/helpers";
import { pair } from "../judge-api/fixtures";

// "right-*" always know the GOOD answer, "wrong" never does, "first" always picks the first shown.
const profiles = { "right-1": { accuracy: 1 }, "right-2": { accuracy: 1 }, wrong: { accuracy: 0 }, first: { accuracy: 1, positionBias: 1 } };
const judge = juryJudge(profiles, { fallback: { accuracy: 0.6 } });

let fake: FakeLlm;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeLlm({ behavior: judge });
  t = await createTestApp({ llmUrl: fake.url, jobs: true });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function registerJury(members: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  const res = await t.call("POST", "/v1/versions", { members, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

describe("jury versions", () => {
  it("every member judges both orders; the verdict is the weighted majority and the response reports each member", async () => {
    const v = await registerJury([{ model: "right-1" }, { model: "wrong" }, { model: "right-2", base_url: fake.url }]);
    expect(v.model).toBe("right-1");
    expect(v.members).toEqual([
      { model: "right-1", weight: 1 },
      { model: "wrong", weight: 1 },
      { model: "right-2", base_url: fake.url, weight: 1 },
    ]);
    const before = fake.chatRequests().length;
    const body = { ...pair("a"), version: v.name };
    const res = await t.call("POST", "/v1/judge", body);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ verdict: "A", position_consistent: true, votes: { A: 4, B: 2, tie: 0, invalid: 0 } });
    expect(res.json.confidence).toBeCloseTo(2 / 3, 5);
    expect(res.json.members.map((m: any) => [m.model, m.verdict, m.weight])).toEqual([
      ["right-1", "A", 1],
      ["wrong", "B", 1],
      ["right-2", "A", 1],
    ]);
    expect(res.json.usage.llm_requests).toBe(6);
    const sent = fake.chatRequests().slice(before);
    expect(sent.map((r) => r.model).sort()).toEqual(["right-1", "right-1", "right-2", "right-2", "wrong", "wrong"]);

    const stored = await t.call("GET", `/v1/judgments/${res.json.id}`);
    expect(stored.json.members).toEqual(res.json.members);
    expect(new Set(stored.json.raw_outputs.map((o: any) => o.member))).toEqual(new Set([0, 1, 2]));
    const list = await t.call("GET", `/v1/judgments?version=${v.name}`);
    expect(list.json.data[0].members).toHaveLength(3);
    // A cache hit answers with the same members.
    const again = await t.call("POST", "/v1/judge", body);
    expect(again.json.cached).toBe(true);
    expect(again.json.members).toEqual(res.json.members);
  });

  it("weights decide; a position-biased member is outvoted in the swapped order", async () => {
    const heavyWrong = await registerJury([{ model: "right-1" }, { model: "right-2" }, { model: "wrong", weight: 3 }]);
    const res = await t.call("POST", "/v1/judge", { ...pair("a"), version: heavyWrong.name });
    expect(res.json.verdict).toBe("B");
    const biased = await registerJury([{ model: "right-1" }, { model: "first" }, { model: "right-2" }]);
    const b = await t.call("POST", "/v1/judge", { ...pair("b"), version: biased.name });
    expect(b.json.verdict).toBe("B");
    expect(b.json.position_consistent).toBe(false);
    expect(b.json.members[1]).toMatchObject({ model: "first", verdict: "tie", position_consistent: false });
  });

  it("members' calls run in parallel: all six requests are in flight together", async () => {
    const v = await registerJury([{ model: "right-1" }, { model: "right-2" }, { model: "wrong" }]);
    let waiting: Array<() => void> = [];
    const gathered: Behavior = async (req, ctx) => {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 6) {
          for (const w of waiting) w();
          waiting = [];
        }
      });
      return judge(req, ctx);
    };
    fake.setBehavior(gathered);
    try {
      const res = await t.call("POST", "/v1/judge", { ...pair("b"), version: v.name });
      expect(res.status, res.text).toBe(200);
      expect(res.json.verdict).toBe("B");
    } finally {
      fake.setBehavior(judge);
    }
  });

  it("422 before any LLM call for a malformed jury", async () => {
    const calls = fake.chatRequests().length;
    const bad: Array<Record<string, unknown>> = [
      { members: [{ model: "a" }] },
      { model: "x", members: [{ model: "a" }, { model: "b" }] },
      { base_url: "http://127.0.0.1:1/v1", members: [{ model: "a" }, { model: "b" }] },
      { members: [{ model: "a", weight: 0 }, { model: "b" }] },
      { members: [{ model: "a", api_key_env: "lower-case" }, { model: "b" }] },
      { members: [{ model: "a", extra: 1 }, { model: "b" }] },
      {},
    ];
    for (const body of bad) {
      const res = await t.call("POST", "/v1/versions", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const ok = await t.call("POST", "/v1/versions", { members: [{ model: "a", api_key_env: "SELFJUDGE_KEY_TEAM_A" }, { model: "b", api_key_env: "TEAM_B" }] });
    expect(ok.status, ok.text).toBe(201);
    expect(fake.chatRequests().length).toBe(calls);
  });

  it("evaluations and the gate treat a jury like any other version", async () => {
    await t.call("POST", "/v1/heldout", { items: heldoutItems(30, "jury") });
    const v = await registerJury([{ model: "right-1" }, { model: "right-2" }, { model: "wrong" }]);
    const created = await t.call("POST", "/v1/evaluations", { version: v.name, promote: true });
    expect(created.status, created.text).toBe(202);
    const done = await waitDone(t, created.json.id);
    expect(done.status).toBe("completed");
    expect(done.result.candidate.accuracy).toBe(1);
    expect(done.result.decision.decision).toBe("promote");
    const active = await t.call("GET", "/v1/versions/active");
    expect(active.json.name).toBe(v.name);
    expect(active.json.members).toHaveLength(3);
  });
});
