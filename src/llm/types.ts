export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface CompletionRequest {
  model: string;
  /** Per-version base URL; overrides the client's default when set. */
  baseURL?: string;
  /** SELFJUDGE_KEY_<NAME> whose key goes with this request (see src/auth/resolve-key.ts). */
  apiKeyEnv?: string | null;
  messages: ChatMessage[];
  /** Number of completions wanted; the result always has exactly this many texts. Default 1. */
  n?: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  /** Ask for token log-probabilities with their top alternatives (`logprobs`, `top_logprobs`). */
  logprobs?: boolean;
  signal?: AbortSignal;
}

/** One output token, its log-probability and the provider's top alternatives at that position. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: Array<{ token: string; logprob: number }>;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Logical HTTP requests issued (retries done inside the SDK are not counted). */
  llm_requests: number;
}

export interface CompletionResult {
  /** texts.length === n exactly; a choice without content is "" (callers treat it as invalid). */
  texts: string[];
  /**
   * Only when the request asked for logprobs: one entry per text, null where the provider sent
   * none for that choice (many OpenAI-compatible servers ignore the parameter).
   */
  logprobs?: Array<TokenLogprob[] | null>;
  usage: TokenUsage;
}

export interface LlmClient {
  complete(req: CompletionRequest): Promise<CompletionResult>;
}

export const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({
  prompt_tokens: 0,
  completion_tokens: 0,
  llm_requests: 0,
});

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    llm_requests: a.llm_requests + b.llm_requests,
  };
}
