export { isLlmError, LlmError, type LlmErrorKind } from "./errors";
export { createOpenAiLlmClient, type OpenAiLlmClientOptions } from "./openai-client";
export type { TokenLogprob } from "./types";
export {
  addUsage,
  ZERO_USAGE,
  type ChatMessage,
  type CompletionRequest,
  type CompletionResult,
  type LlmClient,
  type TokenUsage,
} from "./types";
