import { judgment, oracleLetter, positionBiasedJudge, type Letter } from "../fake-llm/judges";
import type { Behavior } from "../fake-llm/server";
import type { TestApp } from "../helpers/test-app";

/**
 * Judges told apart by the `model` a version names, so two versions of one evaluator really
 * judge differently through the same fake server:
 * - "oracle": always picks the answer marked GOOD (100% on the held-out set below)
 * - "contrarian": always picks the other one (0%)
 * - "biased": always says [[A]], so with swap it is position-inconsistent on every item
 * - anything else (the seed "fake-judge"): right on about 60% of questions, decided by the
 *   question text and not its position, so its errors are position-consistent
 */
function questionHash(req: Parameters<Behavior>[0]): number {
  const user = [...req.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const q = /\[User Question\]\s*([\s\S]*?)\s*\[The Start of/.exec(user)?.[1] ?? "";
  let h = 2166136261;
  for (let i = 0; i < q.length; i++) h = Math.imul(h ^ q.charCodeAt(i), 16777619);
  return h >>> 0;
}

const flip = (l: Letter): Letter => (l === "A" ? "B" : l === "B" ? "A" : "C");

export const byModelJudge: Behavior = (req, ctx) => {
  const right = oracleLetter(req);
  if (req.model === "biased") return positionBiasedJudge(req, ctx);
  if (req.model === "oracle") return judgment(right);
  if (req.model === "contrarian") return judgment(flip(right));
  return judgment(questionHash(req) % 10 < 6 ? right : flip(right));
};

/** `n` labelled pairs; the GOOD answer alternates sides, categories and sources alternate. */
export function heldoutItems(n: number, prefix = "q") {
  return Array.from({ length: n }, (_, i) => {
    const goodFirst = i % 2 === 0;
    return {
      instruction: `${prefix} question ${i}: explain item ${i}`,
      response_a: goodFirst ? `GOOD answer ${i}` : `weak answer ${i}`,
      response_b: goodFirst ? `weak answer ${i}` : `GOOD answer ${i}`,
      label: (goodFirst ? "A" : "B") as "A" | "B",
      category: i % 3 === 0 ? "math" : "writing",
      source: (i % 4 === 0 ? "human" : "import") as "human" | "import",
    };
  });
}

/** Polls GET /v1/evaluations/{id} until it ends; fails the test after `timeoutMs`. */
export async function waitDone(t: TestApp, id: string, headers: Record<string, string> = {}, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.call("GET", `/v1/evaluations/${id}`, undefined, headers);
    if (res.status !== 200) throw new Error(`GET evaluation ${id}: ${res.status} ${res.text}`);
    if (["completed", "failed", "canceled"].includes(res.json.status)) return res.json;
    if (Date.now() > deadline) throw new Error(`evaluation ${id} still ${res.json.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
