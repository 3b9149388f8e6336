import type { FakeLlm } from "../fake-llm/server";

let seq = 0;

/**
 * A fresh judge request whose better answer (the one the oracle judge prefers) carries "GOOD".
 * Every call yields a distinct instruction so requests never hit each other's cache.
 */
export function pair(better: "a" | "b" | "none" = "a", extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    instruction: `Question ${seq}: what is the capital of France?`,
    response_a: better === "a" ? "GOOD: Paris is the capital of France." : "It is Lyon, I think.",
    response_b: better === "b" ? "GOOD: Paris is the capital of France." : "It is Lyon, I think.",
    ...extra,
  };
}

/** Chat completion requests the fake has received so far. */
export function chatCount(fake: FakeLlm): number {
  return fake.chatRequests().length;
}
