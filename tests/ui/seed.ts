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
  expect((await waitDone(t, first.id, auth)).status).toBe("completed");
  const second = await call("POST", "/v1/evaluations", { version: "v3", promote: true });
  expect((await waitDone(t, second.id, auth)).status).toBe("completed");
  return { evaluations: [first.id as string, second.id as string] };
}
