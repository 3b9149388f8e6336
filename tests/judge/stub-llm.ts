import { LlmError } from "../../src/llm/errors";
import type { CompletionRequest, LlmClient } from "../../src/llm/types";
import { isScoredReply } from "../fake-llm/logprobs";
import { countTokens, HANG, type Behavior, type FakeChatRequest } from "../fake-llm/server";

/**
 * In-process LlmClient driven by the same behaviours as the HTTP fake, for judge logic tests
 * that do not need a socket. It always returns exactly n texts (cycling short replies).
 */
export function stubLlm(behavior: Behavior): LlmClient & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  return {
    requests,
    async complete(req) {
      requests.push(req);
      const n = req.n ?? 1;
      const chat: FakeChatRequest = { model: req.model, messages: req.messages, n };
      const reply = await behavior(chat, { requestIndex: requests.length - 1, choices: n, calls: [] });
      if (reply === HANG) return new Promise(() => {});
      if (isScoredReply(reply)) {
        const texts = Array.from({ length: n }, (_, i) => reply.scored[i % reply.scored.length]?.text ?? "");
        return { texts, usage: { prompt_tokens: 0, completion_tokens: 0, llm_requests: 1 } };
      }
      if (typeof reply === "object" && !Array.isArray(reply)) {
        throw new LlmError(reply.status === 429 ? "rate_limited" : "upstream", "stub failure", { status: reply.status });
      }
      const list = typeof reply === "string" ? [reply] : reply;
      const texts = Array.from({ length: n }, (_, i) => list[i % list.length] ?? "");
      return {
        texts,
        usage: {
          prompt_tokens: req.messages.reduce((s, m) => s + countTokens(m.content), 0),
          completion_tokens: texts.reduce((s, t) => s + countTokens(t), 0),
          llm_requests: 1,
        },
      };
    },
  };
}
