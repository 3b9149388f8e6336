import type { LlmClient } from "./types";

/**
 * Counts the LLM requests made through `llm` and says when `max` is reached. The Workflows
 * scheduler gives each step one, so a step stops starting new items once it has made `max`
 * calls (items already in flight finish): that bounds the subrequests of one invocation.
 * Pure wrapper; it never refuses a call.
 */
export interface CallBudget {
  llm: LlmClient;
  used(): number;
  exhausted(): boolean;
}

export function createCallBudget(llm: LlmClient, max: number): CallBudget {
  let used = 0;
  return {
    llm: {
      complete(req) {
        used += 1;
        return llm.complete(req);
      },
    },
    used: () => used,
    exhausted: () => used >= max,
  };
}
