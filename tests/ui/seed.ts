import { expect } from "vitest";
import { heldoutItems, waitDone } from "../evaluation/helpers";
import type { TestApp } from "../helpers/test-app";

/**
 * Seeds through the API what the console shows: the default evaluator with three evaluated
 * versions (v2 promoted over the seed v1, v3 rejected against v2) on 20 held-out items.
 */
export async function seedVersions(t: TestApp, auth: Record<string, string>) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await t.call(method, path, body, auth);
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res.json;
  };
  await call("POST", "/v1/heldout", { items: heldoutItems(20) });
  await call("POST", "/v1/versions", { model: "oracle", notes: "better judge" });
  await call("POST", "/v1/versions", { model: "contrarian", notes: "worse judge" });
  const first = await call("POST", "/v1/evaluations", { version: "v2", promote: true });
  expect((await waitDone(t, first.id, auth, 90_000)).status).toBe("completed");
  const second = await call("POST", "/v1/evaluations", { version: "v3", promote: true });
  expect((await waitDone(t, second.id, auth, 90_000)).status).toBe("completed");
  return { evaluations: [first.id as string, second.id as string] };
}

/** 50 judgments through the batch API (every 10th instruction mentions "zebra"), plus 5 cache hits. */
export async function seedJudgments(t: TestApp, auth: Record<string, string>) {
  const items = Array.from({ length: 50 }, (_, i) => {
    const goodFirst = i % 2 === 0;
    return {
      instruction: `${i % 10 === 0 ? "zebra" : "plain"} question ${i}: explain item ${i}`,
      response_a: goodFirst ? `GOOD answer ${i}` : `weak answer ${i}`,
      response_b: goodFirst ? `weak answer ${i}` : `GOOD answer ${i}`,
    };
  });
  const res = await t.call("POST", "/v1/judge/batch", { items }, auth);
  expect(res.status, res.text).toBe(200);
  for (const item of items.slice(0, 5)) {
    const again = await t.call("POST", "/v1/judge", item, auth);
    expect(again.status, again.text).toBe(200);
  }
  return items;
}

/** A training run through the API, finished (auto_promote off, so the active version stays). */
export async function seedFinishedRun(t: TestApp, auth: Record<string, string>) {
  const res = await t.call("POST", "/v1/training/runs", { ...SMALL_RUN, auto_promote: false, seed: 3 }, auth);
  expect(res.status, res.text).toBe(202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await t.call("GET", `/v1/training/runs/${res.json.id}`, undefined, auth);
    if (["completed", "failed", "canceled"].includes(run.json.status)) {
      expect(run.json.status, JSON.stringify(run.json).slice(0, 1500)).toBe("completed");
      return run.json;
    }
    if (Date.now() > deadline) throw new Error(`training run still ${run.json.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const SMALL_RUN = { sample_size: 16, samples_per_pair: 4, heldout_fraction: 0.3, heldout_size: 12, concurrency: 4 };
