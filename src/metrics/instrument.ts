import type { JobQueue } from "../jobs/queue";
import { isLlmError } from "../llm/errors";
import type { LlmClient } from "../llm/types";
import type { Metrics } from "./types";

// Decorators that record metrics around the LLM client and the job queue (no I/O of their own).

export function instrumentLlm(llm: LlmClient, metrics: Metrics): LlmClient {
  return {
    async complete(req) {
      const started = performance.now();
      try {
        const res = await llm.complete(req);
        metrics.llmRequest({
          model: req.model,
          outcome: "ok",
          seconds: (performance.now() - started) / 1000,
          promptTokens: res.usage.prompt_tokens,
          completionTokens: res.usage.completion_tokens,
        });
        return res;
      } catch (err) {
        metrics.llmRequest({
          model: req.model,
          outcome: isLlmError(err) ? err.kind : req.signal?.aborted ? "aborted" : "error",
          seconds: (performance.now() - started) / 1000,
          promptTokens: 0,
          completionTokens: 0,
        });
        throw err;
      }
    },
  };
}

export function instrumentJobs(jobs: JobQueue, metrics: Metrics): JobQueue {
  return {
    ...jobs,
    ensureQueue: (name, opts) => jobs.ensureQueue(name, opts),
    send: (name, data, opts) => jobs.send(name, data, opts),
    schedule: (name, cron, data) => jobs.schedule(name, cron, data),
    stop: () => jobs.stop(),
    work(name, handler, opts) {
      return jobs.work(
        name,
        async (data, job) => {
          try {
            await handler(data as never, job);
            metrics.job({ queue: name, outcome: "ok" });
          } catch (err) {
            metrics.job({ queue: name, outcome: "failed" });
            throw err;
          }
        },
        opts,
      );
    },
  };
}
