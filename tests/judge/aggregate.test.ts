import { describe, expect, it } from "vitest";
import { aggregateVotes, orderMajority, toCallerFrame, type Vote } from "../../src/judging/aggregate";
import { judgePair, sampleJudgments, type JudgeVersionSpec } from "../../src/judging/judge";
import { parseVerdict } from "../../src/judging/parse";
import { DEFAULT_CRITERIA, DEFAULT_JUDGE_TEMPLATE } from "../../src/judging/prompt";
import type { Behavior } from "../fake-llm/server";
import {
  extractAnswers,
  garbageJudge,
  noisyJudge,
  oracleJudge,
  positionBiasedJudge,
  restatingJudge,
  scriptedJudge,
} from "../fake-llm/judges";
import { HAS_FIXTURE, loadMtBenchPairs, SKIP_REASON } from "./mt-bench-fixture";
import { stubLlm } from "./stub-llm";

const version: JudgeVersionSpec = {
  model: "judge-model",
  prompt_template: DEFAULT_JUDGE_TEMPLATE,
  criteria: DEFAULT_CRITERIA,
  params: {},
};
const goodFirst = { instruction: "Explain X.", response_a: "GOOD explanation", response_b: "weak explanation" };
const goodSecond = { instruction: "Explain X.", response_a: "weak explanation", response_b: "GOOD explanation" };

describe("aggregateVotes", () => {
  const v = (s: string): Vote[] => [...s].map((c) => ({ A: "A", B: "B", C: "tie", X: "invalid" })[c] as Vote);

  it("maps the swapped order back to the caller's frame", () => {
    expect(["A", "B", "tie", "invalid"].map((x) => toCallerFrame(x as Vote, "ba"))).toEqual(["B", "A", "tie", "invalid"]);
    expect(toCallerFrame("A", "ab")).toBe("A");
  });

  it("takes the per-order majority of valid votes; equal top counts make a tie; no valid vote, no majority", () => {
    expect(orderMajority(v("AAB"))).toBe("A");
    expect(orderMajority(v("AXXXB B".replace(/ /g, "")))).toBe("B");
    expect(orderMajority(v("AABB"))).toBe("tie");
    expect(orderMajority(v("AACCB"))).toBe("tie");
    expect(orderMajority(v("CCA"))).toBe("tie");
    expect(orderMajority(v("XXX"))).toBeNull();
    expect(orderMajority([])).toBeNull();
  });

  it("agreeing orders give that verdict, position-consistent; confidence is the share of valid votes behind it", () => {
    expect(aggregateVotes({ ab: v("AAB"), ba: v("AAX") })).toEqual({
      verdict: "A",
      confidence: 4 / 5,
      position_consistent: true,
      votes: { A: 4, B: 1, tie: 0, invalid: 1 },
      majorities: { ab: "A", ba: "A" },
    });
    expect(aggregateVotes({ ab: v("C"), ba: v("C") })).toMatchObject({ verdict: "tie", confidence: 1, position_consistent: true });
  });

  it("disagreeing orders (including side vs tie) give an inconsistent tie", () => {
    expect(aggregateVotes({ ab: v("AAA"), ba: v("BBB") })).toMatchObject({ verdict: "tie", confidence: 0, position_consistent: false });
    expect(aggregateVotes({ ab: v("AAC"), ba: v("CCA") })).toMatchObject({
      verdict: "tie",
      confidence: 3 / 6,
      position_consistent: false,
    });
  });

  it("one order without a valid vote: the other order decides, unverified", () => {
    expect(aggregateVotes({ ab: v("XX"), ba: v("BB") })).toMatchObject({ verdict: "B", confidence: 1, position_consistent: false });
    expect(aggregateVotes({ ab: v("XX"), ba: v("XX") })).toMatchObject({ verdict: null, confidence: 0, position_consistent: false });
  });

  it("without swap: the single order's majority, never claimed position-consistent", () => {
    expect(aggregateVotes({ ab: v("AAB") })).toMatchObject({
      verdict: "A",
      confidence: 2 / 3,
      position_consistent: false,
      majorities: { ab: "A", ba: null },
    });
  });
});

describe("judgePair", () => {
  it("swap exposes a position-biased judge: tie, position_consistent false, no supporting reasoning", async () => {
    const out = await judgePair(stubLlm(positionBiasedJudge), version, goodFirst, { samples: 3, swap: true });
    expect(out).toMatchObject({
      verdict: "tie",
      position_consistent: false,
      confidence: 0,
      reasoning: null,
      reasoning_index: null,
      votes: { A: 3, B: 3, tie: 0, invalid: 0 },
    });
    expect(out.samples.filter((s) => s.order === "ba").every((s) => s.raw_vote === "A" && s.vote === "B")).toBe(true);
  });

  it("without swap the position-biased judge's A stands", async () => {
    const out = await judgePair(stubLlm(positionBiasedJudge), version, goodSecond, { samples: 1, swap: false });
    expect(out).toMatchObject({ verdict: "A", position_consistent: false, confidence: 1, votes: { A: 1, B: 0, tie: 0, invalid: 0 } });
    expect(out.reasoning).toContain("[[A]]");
  });

  it.each([
    [goodFirst, "A"],
    [goodSecond, "B"],
  ] as const)("a consistent judge wins in both orders (%#)", async (input, winner) => {
    for (const behavior of [oracleJudge, restatingJudge]) {
      const out = await judgePair(stubLlm(behavior), version, input, { samples: 2, swap: true });
      expect(out).toMatchObject({ verdict: winner, position_consistent: true, confidence: 1 });
      expect(out.samples.map((s) => s.vote)).toEqual([winner, winner, winner, winner]);
      expect(out.reasoning).toBe(out.samples[0]!.text);
      expect(out.usage.llm_requests).toBe(2);
    }
  });

  it("majority voting over samples, with invalid samples excluded from confidence", async () => {
    const llm = stubLlm(scriptedJudge(["A", "A", "B", "garbage", "C"]));
    const out = await judgePair(llm, version, goodFirst, { samples: 5, swap: false });
    expect(out).toMatchObject({ verdict: "A", confidence: 2 / 4, votes: { A: 2, B: 1, tie: 1, invalid: 1 } });
    expect(out.samples[3]).toMatchObject({ vote: "invalid", raw_vote: "invalid", reason: expect.stringContaining("no verdict") });
    expect(llm.requests[0]).toMatchObject({ n: 5, temperature: 0.7, top_p: 0.9 });
  });

  it("a noisy judge at 80% is right by majority of 15 samples in both orders, deterministically", async () => {
    const run = () => judgePair(stubLlm(noisyJudge(0.8, 42)), version, goodSecond, { samples: 15, swap: true });
    const [first, second] = await Promise.all([run(), run()]);
    expect(first.verdict).toBe("B");
    expect(first.position_consistent).toBe(true);
    expect(first.confidence).toBeGreaterThan(0.6);
    expect(first.confidence).toBeLessThan(1);
    expect(second.samples.map((s) => s.text)).toEqual(first.samples.map((s) => s.text));
  });

  it("garbage from the judge gives no verdict and all votes invalid", async () => {
    const out = await judgePair(stubLlm(garbageJudge), version, goodFirst, { samples: 3, swap: true });
    expect(out).toMatchObject({
      verdict: null,
      confidence: 0,
      position_consistent: false,
      reasoning: null,
      votes: { A: 0, B: 0, tie: 0, invalid: 6 },
    });
  });

  it("sampling parameters: options beat version params beat defaults; one sample defaults to temperature 0", async () => {
    const llm = stubLlm(oracleJudge);
    await judgePair(llm, version, goodFirst, { samples: 1, swap: false });
    await judgePair(llm, { ...version, base_url: "http://other/v1", params: { temperature: 0.3, top_p: 0.5, max_tokens: 99 } }, goodFirst, {
      samples: 4,
      swap: false,
    });
    await judgePair(llm, { ...version, params: { temperature: 0.3 } }, goodFirst, { samples: 4, swap: false, temperature: 1 });
    expect(llm.requests.map(({ n, temperature, top_p, max_tokens, baseURL }) => ({ n, temperature, top_p, max_tokens, baseURL }))).toEqual([
      { n: 1, temperature: 0, top_p: undefined, max_tokens: undefined, baseURL: undefined },
      { n: 4, temperature: 0.3, top_p: 0.5, max_tokens: 99, baseURL: "http://other/v1" },
      { n: 4, temperature: 1, top_p: 0.9, max_tokens: undefined, baseURL: undefined },
    ]);
  });

  it("propagates LLM errors instead of inventing a verdict, and cancels the other order", async () => {
    let seen: AbortSignal | undefined;
    const llm = {
      async complete(req: { signal?: AbortSignal; messages: { role: string; content: string }[] }) {
        const shown = extractAnswers(req);
        if (shown?.a === "first") {
          seen = req.signal;
          return new Promise<never>((_, reject) => req.signal?.addEventListener("abort", () => reject(req.signal?.reason)));
        }
        throw new Error("provider down");
      },
    };
    await expect(
      judgePair(llm as never, version, { instruction: "q", response_a: "first", response_b: "second" }, { samples: 1, swap: true }),
    ).rejects.toThrow("provider down");
    expect(seen?.aborted).toBe(true);
  });

  it("sampleJudgments exposes the prompt and raw texts for one order (training reuse)", async () => {
    const out = await sampleJudgments(stubLlm(oracleJudge), version, goodFirst, { order: "ba", n: 2 });
    expect(out.order).toBe("ba");
    expect(extractAnswers({ messages: out.messages })).toMatchObject({ a: "weak explanation", b: "GOOD explanation" });
    expect(out.judgments).toEqual([
      { index: 0, text: expect.stringContaining("[[B]]"), raw_vote: "B", vote: "A" },
      { index: 1, text: expect.stringContaining("[[B]]"), raw_vote: "B", vote: "A" },
    ]);
  });
});

describe.skipIf(!HAS_FIXTURE)(`both-order aggregation on real GPT-4 judgments (${HAS_FIXTURE ? "fixture found" : SKIP_REASON})`, () => {
  const pairs = HAS_FIXTURE ? loadMtBenchPairs() : [];
  /** Replays the fixture: g1 (model_1 shown first) for order ab, g2 for order ba. */
  const replay = (g1: string, g2: string): Behavior => (req) => (extractAnswers(req)?.a === "MODEL_1" ? g1 : g2);
  const input = { instruction: "q", response_a: "MODEL_1", response_b: "MODEL_2" };
  const winnerToVote = { model_1: "A", model_2: "B", tie: "tie", error: "invalid" } as const;

  it("every pair aggregates as its two readings dictate; the 27 disagreeing pairs become inconsistent ties", async () => {
    let disagreeing = 0;
    let oppositeSides = 0;
    for (const p of pairs) {
      const out = await judgePair(stubLlm(replay(p.g1_judgment, p.g2_judgment)), version, input, { samples: 1, swap: true });
      const ab = parseVerdict(p.g1_judgment).vote;
      const ba = toCallerFrame(parseVerdict(p.g2_judgment).vote, "ba");
      // Our caller-frame votes agree with FastChat's mapped winners.
      expect([ab, ba]).toEqual([winnerToVote[p.g1_winner], winnerToVote[p.g2_winner]]);
      if (ab === "invalid" && ba === "invalid") {
        expect(out).toMatchObject({ verdict: null, position_consistent: false });
      } else if (ab === "invalid" || ba === "invalid") {
        expect(out).toMatchObject({ verdict: ab === "invalid" ? ba : ab, position_consistent: false });
      } else if (ab === ba) {
        expect(out).toMatchObject({ verdict: ab, position_consistent: true, confidence: 1 });
      } else {
        disagreeing += 1;
        if (ab !== "tie" && ba !== "tie") oppositeSides += 1;
        expect(out).toMatchObject({ verdict: "tie", position_consistent: false });
        expect(out.confidence).toBe(ab === "tie" || ba === "tie" ? 0.5 : 0);
      }
    }
    // The fixture README's "18 of 75" counts pairs picking opposite models; 9 more pit a side against a tie.
    expect(oppositeSides).toBe(18);
    expect(disagreeing).toBe(27);
  });

  it("q124 (one $ERROR$) keeps the valid order's verdict, unverified; q125 (both $ERROR$) has none", async () => {
    const byId = new Map(pairs.map((p) => [p.question_id, p]));
    const q124 = byId.get(124)!;
    const q125 = byId.get(125)!;
    const o124 = await judgePair(stubLlm(replay(q124.g1_judgment, q124.g2_judgment)), version, input, { samples: 1, swap: true });
    expect(o124).toMatchObject({ verdict: "A", position_consistent: false, votes: { A: 1, B: 0, tie: 0, invalid: 1 } });
    const o125 = await judgePair(stubLlm(replay(q125.g1_judgment, q125.g2_judgment)), version, input, { samples: 1, swap: true });
    expect(o125).toMatchObject({ verdict: null, reasoning: null, votes: { A: 0, B: 0, tie: 0, invalid: 2 } });
  });
});
