import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Metrics } from "./types";

// prom-client behind the Metrics interface; one Registry per instance (no global default registry).

export interface MetricsSources {
  /** Jobs waiting and running per queue, read at scrape time. */
  queueDepth?: () => Promise<Array<{ queue: string; queued: number; active: number }>>;
  /** Training runs by status and current step, with their step progress, read at scrape time. */
  trainingProgress?: () => Promise<Array<{ status: string; step: string; runs: number; done: number; total: number }>>;
  onError?: (err: unknown) => void;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createPrometheusMetrics(sources: MetricsSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "selfjudge_" });
  const reg = [registry];

  const httpRequests = new Counter({
    name: "selfjudge_http_requests_total",
    help: "HTTP requests by method, matched route and status",
    labelNames: ["method", "route", "status"],
    registers: reg,
  });
  const httpSeconds = new Histogram({
    name: "selfjudge_http_request_duration_seconds",
    help: "HTTP request latency by method, matched route and status",
    labelNames: ["method", "route", "status"],
    buckets: SECONDS,
    registers: reg,
  });
  const llmRequests = new Counter({
    name: "selfjudge_llm_requests_total",
    help: "Logical LLM requests by model and outcome (ok, rate_limited, timeout, unavailable, upstream, bad_response, aborted)",
    labelNames: ["model", "outcome"],
    registers: reg,
  });
  const llmSeconds = new Histogram({
    name: "selfjudge_llm_request_duration_seconds",
    help: "LLM request latency by model and outcome, retries included",
    labelNames: ["model", "outcome"],
    buckets: SECONDS,
    registers: reg,
  });
  const llmTokens = new Counter({
    name: "selfjudge_llm_tokens_total",
    help: "LLM tokens by model and kind (prompt, completion)",
    labelNames: ["model", "kind"],
    registers: reg,
  });
  const judgments = new Counter({
    name: "selfjudge_judgments_total",
    help: "Judgments served by evaluator, status (ok, failed, timeout) and verdict (A, B, tie, none)",
    labelNames: ["evaluator", "status", "verdict"],
    registers: reg,
  });
  const cacheHits = new Counter({
    name: "selfjudge_judge_cache_hits_total",
    help: "Judgments answered from a stored judgment without calling the LLM",
    labelNames: ["evaluator"],
    registers: reg,
  });
  const rateLimited = new Counter({
    name: "selfjudge_rate_limited_total",
    help: "Requests refused with 429 by a rate limit (rpm) or a token budget (tokens)",
    labelNames: ["kind"],
    registers: reg,
  });
  const jobs = new Counter({
    name: "selfjudge_jobs_total",
    help: "Background jobs finished, by queue and outcome",
    labelNames: ["queue", "outcome"],
    registers: reg,
  });
  const onError = sources.onError ?? (() => {});
  new Gauge({
    name: "selfjudge_queue_jobs",
    help: "Background jobs per queue and state (queued, active), at scrape time",
    labelNames: ["queue", "state"],
    registers: reg,
    async collect() {
      if (!sources.queueDepth) return;
      this.reset();
      try {
        for (const q of await sources.queueDepth()) {
          this.set({ queue: q.queue, state: "queued" }, q.queued);
          this.set({ queue: q.queue, state: "active" }, q.active);
        }
      } catch (err) {
        onError(err);
      }
    },
  });
  const runsGauge = new Gauge({
    name: "selfjudge_training_runs",
    help: "Unfinished training runs by status and current step, at scrape time",
    labelNames: ["status", "step"],
    registers: reg,
  });
  new Gauge({
    name: "selfjudge_training_step_progress_ratio",
    help: "Progress (done/total) of the current step, summed over unfinished runs in that status and step",
    labelNames: ["status", "step"],
    registers: reg,
    async collect() {
      if (!sources.trainingProgress) return;
      this.reset();
      runsGauge.reset();
      try {
        for (const r of await sources.trainingProgress()) {
          runsGauge.set({ status: r.status, step: r.step }, r.runs);
          this.set({ status: r.status, step: r.step }, r.total > 0 ? r.done / r.total : 0);
        }
      } catch (err) {
        onError(err);
      }
    },
  });

  return {
    httpRequest({ method, route, status, seconds }) {
      const labels = { method, route, status: String(status) };
      httpRequests.inc(labels);
      httpSeconds.observe(labels, seconds);
    },
    llmRequest({ model, outcome, seconds, promptTokens, completionTokens }) {
      llmRequests.inc({ model, outcome });
      llmSeconds.observe({ model, outcome }, seconds);
      if (promptTokens > 0) llmTokens.inc({ model, kind: "prompt" }, promptTokens);
      if (completionTokens > 0) llmTokens.inc({ model, kind: "completion" }, completionTokens);
    },
    judgment({ evaluator, status, verdict, cached }) {
      judgments.inc({ evaluator, status, verdict });
      if (cached) cacheHits.inc({ evaluator });
    },
    rateLimited({ kind }) {
      rateLimited.inc({ kind });
    },
    job({ queue, outcome }) {
      jobs.inc({ queue, outcome });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
