import { datasetLines } from "../dataset";
import type { TrainingMethod } from "../params";
import { ensureCandidate } from "./candidate";
import type { Trainer } from "./types";

export type FineTuningStatus = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface FineTuningJob {
  id: string;
  status: FineTuningStatus | string;
  fine_tuned_model: string | null;
  error?: { message?: string | null } | null;
}

/** The slice of a fine-tuning API the trainer needs (OpenAI's files + fine_tuning/jobs). */
export interface FineTuningApi {
  uploadJsonl(filename: string, content: string, signal?: AbortSignal): Promise<{ id: string }>;
  createJob(
    args: {
      model: string;
      trainingFile: string;
      suffix: string;
      metadata: Record<string, string>;
      /** dpo: the preference method (the file holds preference lines); default supervised. */
      method?: TrainingMethod;
      dpoBeta?: number;
    },
    signal?: AbortSignal,
  ): Promise<FineTuningJob>;
  /** A job created earlier for this metadata, so a crash between create and save does not create a second. */
  findJob(metadata: Record<string, string>, signal?: AbortSignal): Promise<FineTuningJob | null>;
  retrieveJob(id: string, signal?: AbortSignal): Promise<FineTuningJob>;
  cancelJob(id: string, signal?: AbortSignal): Promise<FineTuningJob>;
}

const FINISHED: readonly string[] = ["succeeded", "failed", "cancelled"];

/** The provider could not be reached or answered 408/409/429/5xx: worth asking again later. */
export class FineTuningUnavailableError extends Error {}

// Consecutive failed polls (each a pollMaxMs apart) before the run gives up on the job.
const MAX_POLL_FAILURES = 60;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Fine-tuning through an OpenAI-compatible fine-tuning API: supervised on the verified judgments
 * (method sft, the paper's recipe) or DPO on the annotation step's preference pairs (method dpo:
 * a correct and a wrong judgment of the same prompt). Each iteration starts from the evaluator's
 * seed model, as in the paper. The file id and job id are saved as soon as they
 * exist, so a restarted run follows the same job instead of paying for another.
 */
export function createOpenAiTrainer(api: FineTuningApi): Trainer {
  return {
    async train(ctx) {
      const { deps, runId, iteration, signal } = ctx;
      const metadata = { selfjudge_run_id: runId, selfjudge_iteration: String(iteration) };
      const method: TrainingMethod = ctx.params.method ?? "sft";
      let fileId = ctx.state.file_id as string | undefined;
      let jobId = ctx.state.job_id as string | undefined;

      if (!jobId) {
        const existing = await api.findJob(metadata, signal);
        if (existing) {
          jobId = existing.id;
          await ctx.saveState({ job_id: jobId });
        }
      }
      if (!jobId && !fileId) {
        let jsonl = "";
        let lines = 0;
        for await (const line of datasetLines(deps.db, runId, iteration, method, deps.timing.pageSize)) {
          jsonl += line;
          lines += 1;
        }
        if (lines === 0) {
          throw new Error(
            method === "dpo"
              ? `iteration ${iteration} has no DPO pairs to upload (a pair needs a correct and a wrong judgment of the same prompt)`
              : `iteration ${iteration} has no training examples to upload`,
          );
        }
        const name = method === "dpo" ? `selfjudge-${runId}-iteration-${iteration}-dpo.jsonl` : `selfjudge-${runId}-iteration-${iteration}.jsonl`;
        const file = await api.uploadJsonl(name, jsonl, signal);
        fileId = file.id;
        await ctx.saveState({ file_id: fileId, examples: lines, method });
      }
      if (!jobId) {
        const job = await api.createJob(
          {
            model: ctx.evaluator.seedModel,
            trainingFile: fileId!,
            suffix: `sj-it${iteration}`,
            metadata,
            ...(method === "dpo" ? { method, ...(ctx.params.dpo_beta !== undefined ? { dpoBeta: ctx.params.dpo_beta } : {}) } : {}),
          },
          signal,
        );
        jobId = job.id;
        await ctx.saveState({ job_id: jobId, status: job.status });
      }

      let wait = deps.timing.pollInitialMs;
      for (;;) {
        let job: FineTuningJob;
        try {
          job = await api.retrieveJob(jobId, signal);
        } catch (err) {
          // A provider hiccup must not fail a run whose job may be hours into training: the job
          // keeps going, so look again later (a new work slice, after a backoff).
          if (signal.aborted || !(err instanceof FineTuningUnavailableError)) throw err;
          const failures = Number(ctx.state.poll_failures ?? 0) + 1;
          if (failures >= MAX_POLL_FAILURES) {
            throw new Error(`fine-tuning job ${jobId}: ${failures} polls in a row failed, the last with: ${err.message}`);
          }
          await ctx.saveState({ poll_failures: failures });
          deps.logger.warn({ training_run: runId, job_id: jobId, failures, err: err.message }, "fine-tuning job poll failed; trying again later");
          return { kind: "pending", retryAfterSeconds: Math.ceil(deps.timing.pollMaxMs / 1000) };
        }
        if (ctx.state.poll_failures) await ctx.saveState({ poll_failures: 0 });
        if (job.status !== ctx.state.status) await ctx.saveState({ status: job.status });
        if (job.status === "succeeded") {
          if (!job.fine_tuned_model) throw new Error(`fine-tuning job ${jobId} succeeded without a fine_tuned_model`);
          const version = await ensureCandidate(ctx, {
            model: job.fine_tuned_model,
            fewShot: [],
            notes: `fine-tuned (${method}) from ${ctx.evaluator.seedModel} by job ${jobId} (training run ${runId}, iteration ${iteration})`,
          });
          return { kind: "candidate", versionId: version.id, details: { job_id: jobId, file_id: fileId, method, fine_tuned_model: job.fine_tuned_model } };
        }
        if (job.status === "failed" || job.status === "cancelled") {
          throw new Error(`fine-tuning job ${jobId} ${job.status}${job.error?.message ? `: ${job.error.message}` : ""}`);
        }
        if (ctx.shouldStop()) return { kind: "pending", retryAfterSeconds: Math.ceil(wait / 1000) };
        await sleep(wait, signal);
        if (signal.aborted) return { kind: "pending", retryAfterSeconds: 1 };
        wait = Math.min(deps.timing.pollMaxMs, wait * 2);
      }
    },
    async cancel(ctx) {
      // A canceled run must not leave a paid job training at the provider. Only the job id is
      // known for sure; a crash between create and save leaves a job findJob would still find.
      let jobId = ctx.state.job_id as string | undefined;
      if (!jobId) {
        const metadata = { selfjudge_run_id: ctx.runId, selfjudge_iteration: String(ctx.iteration) };
        jobId = ctx.state.file_id ? (await api.findJob(metadata))?.id : undefined;
      }
      if (!jobId || FINISHED.includes(String(ctx.state.status))) return {};
      const job = await api.cancelJob(jobId);
      return { job_id: jobId, status: job.status };
    },
  };
}
