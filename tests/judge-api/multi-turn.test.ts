import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { traffic } from "../../src/db/schema";
import { extractAnswers, oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { chatCount, pair } from "./fixtures";

// Multi-turn judging on POST /v1/judge and /v1/judge/batch (issue 8, item 4), against the fake
// LLM over HTTP: the judge must be shown the whole dialogue, in both orders.

let fake: FakeLlm;
let t: TestApp;
let seq = 0;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.setBehavior(oracleJudge);
});

type Turn = { role: "user" | "assistant" | "system"; content: string };

/** An MT-Bench-shaped question (writing, id 81): two user turns, the second a rewrite request. */
function mtBench() {
  seq += 1;
  const q1 = `[${seq}] Compose an engaging travel blog post about a recent trip to Hawaii, highlighting cultural experiences and must-see attractions.`;
  const q2 = "Rewrite your previous response. Start every sentence with the letter A.";
  return { q1, q2 };
}

/** Shared form: turn 1 by one assistant, then two candidate replies to turn 2. */
function sharedPair(better: "a" | "b") {
  const { q1, q2 } = mtBench();
  const conversation: Turn[] = [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: q1 },
    { role: "assistant", content: "Aloha! My trip to Hawaii began at the Polynesian Cultural Center..." },
    { role: "user", content: q2 },
  ];
  const good = "GOOD: A trip to Hawaii awakens the senses. Aloha greets arrivals. Amazing luaus abound.";
  const bad = "My trip to Hawaii was great and I saw many things.";
  return { conversation, response_a: better === "a" ? good : bad, response_b: better === "b" ? good : bad };
}

/** Divergent form: each assistant answered turn 1 its own way (MT-Bench turn 2 pairs). */
function divergentPair(better: "a" | "b") {
  const { q1, q2 } = mtBench();
  const conv = (reply1: string, reply2: string): Turn[] => [
    { role: "user", content: q1 },
    { role: "assistant", content: reply1 },
    { role: "user", content: q2 },
    { role: "assistant", content: reply2 },
  ];
  const good = conv("Aloha from Oahu! Hula lessons and Pearl Harbor...", "GOOD: A hula lesson opened the trip. Aloha was everywhere.");
  const bad = conv("Hawaii is nice.", "Hawaii is still nice.");
  return better === "a" ? { conversation_a: good, conversation_b: bad } : { conversation_a: bad, conversation_b: good };
}

describe("multi-turn POST /v1/judge", () => {
  it("judges an MT-Bench-shaped two-turn pair in both orders, showing the judge the whole dialogue", async () => {
    for (const better of ["a", "b"] as const) {
      const req = sharedPair(better);
      const before = fake.chatRequests().length;
      const res = await t.call("POST", "/v1/judge", req);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ verdict: better === "a" ? "A" : "B", position_consistent: true, votes: { A: better === "a" ? 2 : 0, B: better === "b" ? 2 : 0 } });
      const sent = fake.chatRequests().slice(before);
      expect(sent).toHaveLength(2);
      for (const r of sent) {
        const shown = extractAnswers(r)!;
        // The question block holds every turn: system, turn 1 and the assistant's turn-1 reply, turn 2.
        for (const turn of req.conversation) expect(shown.question).toContain(turn.content);
        expect(shown.question.indexOf(req.conversation[1]!.content)).toBeLessThan(shown.question.indexOf(req.conversation[3]!.content));
      }
      // Both orders: each reply was shown first once.
      expect(sent.map((r) => extractAnswers(r)!.a).sort()).toEqual([req.response_a, req.response_b].sort());
    }
  });

  it("judges two divergent conversations, each shown whole as that assistant's answer", async () => {
    for (const better of ["a", "b"] as const) {
      const req = divergentPair(better);
      const before = fake.chatRequests().length;
      const res = await t.call("POST", "/v1/judge", req);
      expect(res.status).toBe(200);
      expect(res.json.verdict).toBe(better === "a" ? "A" : "B");
      expect(res.json.position_consistent).toBe(true);
      const sent = fake.chatRequests().slice(before).map((r) => extractAnswers(r)!);
      expect(sent).toHaveLength(2);
      for (const s of sent) {
        // Each answer block is a whole conversation: its turn-1 reply and its turn-2 reply.
        const [first, second] = s.a.includes(req.conversation_a[1]!.content) ? [req.conversation_a, req.conversation_b] : [req.conversation_b, req.conversation_a];
        expect(s.a).toContain(first[1]!.content);
        expect(s.a).toContain(first[3]!.content);
        expect(s.b).toContain(second[1]!.content);
        expect(s.b).toContain(second[3]!.content);
        expect(s.question).toContain(req.conversation_a[2]!.content);
      }
      // Both orders: conversation_a was shown first in one request and second in the other.
      expect(sent.filter((s) => s.a.includes(req.conversation_a[3]!.content))).toHaveLength(1);
    }
  });

  it("stores the conversation, answers a repeat from the cache, and returns it on GET and in the listing", async () => {
    const req = sharedPair("b");
    const first = await t.call("POST", "/v1/judge", req);
    expect(first.status).toBe(200);
    const calls = chatCount(fake);
    const again = await t.call("POST", "/v1/judge", req);
    expect(again.json).toMatchObject({ id: first.json.id, cached: true, verdict: "B" });
    expect(chatCount(fake)).toBe(calls);

    // A different earlier turn is a different question: no cache hit.
    const changed = { ...req, conversation: req.conversation.map((turn, i) => (i === 2 ? { ...turn, content: "Hawaii was fun." } : turn)) };
    const other = await t.call("POST", "/v1/judge", changed);
    expect(other.json.cached).toBe(false);
    expect(other.json.id).not.toBe(first.json.id);

    const got = await t.call("GET", `/v1/judgments/${first.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      conversation: req.conversation,
      conversation_a: null,
      conversation_b: null,
      response_a: req.response_a,
      response_b: req.response_b,
      multi_turn: { form: "conversation", user_turns: 2 },
    });
    // The stored instruction is the last user turn with its context.
    expect(got.json.instruction).toContain(req.conversation[1]!.content);
    expect(got.json.instruction.endsWith(req.conversation[3]!.content)).toBe(true);

    const div = divergentPair("a");
    const d = await t.call("POST", "/v1/judge", div);
    const dGot = await t.call("GET", `/v1/judgments/${d.json.id}`);
    expect(dGot.json).toMatchObject({
      conversation: null,
      conversation_a: div.conversation_a,
      conversation_b: div.conversation_b,
      response_a: div.conversation_a[3]!.content,
      response_b: div.conversation_b[3]!.content,
      multi_turn: { form: "conversation_a_b", user_turns: 2 },
    });

    const list = await t.call("GET", "/v1/judgments?limit=50");
    expect(list.status).toBe(200);
    const rows = new Map(list.json.data.map((r: { id: string }) => [r.id, r]));
    expect(rows.get(first.json.id)).toMatchObject({ multi_turn: { form: "conversation", user_turns: 2 }, instruction_preview: req.conversation[3]!.content });
    expect(rows.get(d.json.id)).toMatchObject({ multi_turn: { form: "conversation_a_b", user_turns: 2 } });
    const single = await t.call("POST", "/v1/judge", pair("a"));
    const list2 = await t.call("GET", "/v1/judgments?limit=5");
    expect(list2.json.data.find((r: { id: string }) => r.id === single.json.id)).toMatchObject({ multi_turn: null });
  });

  it("feeds training the last user turn with its context, not the judging wording", async () => {
    const req = sharedPair("a");
    const res = await t.call("POST", "/v1/judge", req);
    const rows = await t.database.db.select().from(traffic).where(eq(traffic.source, "judge"));
    const entry = rows.find((r) => (r.metadata as { judgment_id?: string } | null)?.judgment_id === res.json.id);
    expect(entry).toBeDefined();
    expect(entry!.instruction).toContain(req.conversation[2]!.content);
    expect(entry!.instruction.endsWith(req.conversation[3]!.content)).toBe(true);
    expect(entry!.instruction).not.toContain(req.response_a);
    expect(entry!.instruction.toLowerCase()).not.toContain("judge");
  });
});

describe("multi-turn validation: 422 naming the field, before any LLM call", () => {
  const shared = () => sharedPair("a");
  const div = () => divergentPair("a");
  const cases: Array<[string, () => unknown, string]> = [
    ["instruction and conversation", () => ({ ...shared(), instruction: "Q?" }), "conversation"],
    ["conversation and conversation_a/b", () => ({ ...div(), conversation: shared().conversation }), "conversation_a"],
    ["conversation without response_b", () => ({ conversation: shared().conversation, response_a: "x" }), "response_b"],
    ["conversation_a without conversation_b", () => ({ conversation_a: div().conversation_a }), "conversation_b"],
    ["conversation_a/b with response_a", () => ({ ...div(), response_a: "x" }), "response_a"],
    ["unknown role", () => ({ ...shared(), conversation: [{ role: "robot", content: "hi" }] }), "conversation.0.role"],
    ["empty conversation", () => ({ ...shared(), conversation: [] }), "conversation"],
    ["turn without content", () => ({ ...shared(), conversation: [{ role: "user" }] }), "conversation.0.content"],
    ["blank turn", () => ({ ...shared(), conversation: [{ role: "user", content: "  " }] }), "conversation.0.content"],
    ["starts with assistant", () => ({ ...shared(), conversation: [{ role: "assistant", content: "hi" }, { role: "user", content: "q" }] }), "conversation.0.role"],
    [
      "two user turns in a row",
      () => ({ ...shared(), conversation: [{ role: "user", content: "q1" }, { role: "user", content: "q2" }] }),
      "conversation.1.role",
    ],
    [
      "system turn not first",
      () => ({ ...shared(), conversation: [{ role: "user", content: "q1" }, { role: "system", content: "s" }, { role: "user", content: "q2" }] }),
      "conversation.1.role",
    ],
    [
      "shared conversation ending with an assistant turn",
      () => ({ ...shared(), conversation: [{ role: "user", content: "q1" }, { role: "assistant", content: "a1" }] }),
      "conversation.1.role",
    ],
    [
      "conversation_a ending with a user turn",
      () => {
        const d = div();
        return { ...d, conversation_a: d.conversation_a.slice(0, 3) };
      },
      "conversation_a.2.role",
    ],
    [
      "different user turns",
      () => {
        const d = div();
        return { ...d, conversation_b: d.conversation_b.map((x, i) => (i === 2 ? { ...x, content: "Something else." } : x)) };
      },
      "conversation_b.2.content",
    ],
    [
      "conversations of different lengths",
      () => {
        const d = div();
        return { ...d, conversation_b: d.conversation_b.slice(0, 2) };
      },
      "conversation_b",
    ],
    ["extra field on a turn", () => ({ ...shared(), conversation: [{ role: "user", content: "q", name: "x" }] }), "conversation.0"],
  ];

  it.each(cases)("%s", async (_name, body, field) => {
    const calls = chatCount(fake);
    const res = await t.call("POST", "/v1/judge", body());
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(chatCount(fake)).toBe(calls);
  });
});

describe("multi-turn POST /v1/judge/batch", () => {
  it("judges single-turn and both multi-turn forms side by side; a bad item gets its own 422", async () => {
    const calls = chatCount(fake);
    const div = divergentPair("a");
    const items = [pair("a"), sharedPair("b"), div, { ...divergentPair("b"), conversation_b: [{ role: "user", content: "q" }] }];
    const res = await t.call("POST", "/v1/judge/batch", { items });
    expect(res.status).toBe(200);
    const results = res.json.results;
    expect(results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, true, false]);
    expect(results.slice(0, 3).map((r: { judgment: { verdict: string } }) => r.judgment.verdict)).toEqual(["A", "B", "A"]);
    expect(results[3].error.status).toBe(422);
    expect(results[3].error.errors.map((e: { path: string }) => e.path)).toContain("conversation_b.0.role");
    // Three valid items, two orders each; the bad item cost nothing.
    expect(chatCount(fake) - calls).toBe(6);
    const got = await t.call("GET", `/v1/judgments/${results[2].judgment.id}`);
    expect(got.json.conversation_a).toEqual(div.conversation_a);
  });
});
