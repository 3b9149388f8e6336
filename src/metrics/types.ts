// What the app records for Prometheus (a leaf: types only). The prom-client implementation lives
// in ./prometheus.ts and is wired by the Node runtime only, so the Workers bundle never loads it.

export type JobOutcome = "ok" | "failed";

export interface Metrics {
  /** One HTTP request: `route` is the matched pattern (`/v1/judgments/:id`), never the raw path. */
  httpRequest(p: { method: string; route: string; status: number; seconds: number }): void;
  /** One logical LLM request (SDK retries included); tokens only for answered ones. */
  llmRequest(p: { model: string; outcome: string; seconds: number; promptTokens: number; completionTokens: number }): void;
  /** One judgment served: status ok/failed/timeout; verdict A/B/tie or "none". */
  judgment(p: { evaluator: string; status: string; verdict: string; cached: boolean }): void;
  /** A request refused by a rate limit (`rpm`) or a token budget (`tokens`). */
  rateLimited(p: { kind: "rpm" | "tokens" }): void;
  /** A background job finished. */
  job(p: { queue: string; outcome: JobOutcome }): void;
  /** The exposition: content type and text. */
  render(): Promise<{ contentType: string; body: string }>;
}
