import { toFile } from "openai";
import type { Config } from "../config";
import { LlmError } from "../llm/errors";
import { mapSdkError } from "../llm/map-sdk-error";
import { createOpenAiSdk } from "../llm/openai-client";
import { FineTuningUnavailableError, type FineTuningApi, type FineTuningJob } from "./trainers/openai";

/** Worth asking again later: unreachable, timed out, rate limited, 409 or 5xx (as mapSdkError classifies them). */
function transient(err: unknown): boolean {
  const e = mapSdkError(err);
  if (!(e instanceof LlmError)) return false;
  if (e.kind === "unavailable" || e.kind === "timeout" || e.kind === "rate_limited") return true;
  return e.kind === "upstream" && e.status !== undefined && (e.status === 409 || e.status >= 500);
}

/** FineTuningApi over the OpenAI SDK (files + fine_tuning.jobs) at the configured base URL. */
export function createOpenAiFineTuningApi(llm: Config["llm"], baseURL?: string | null): FineTuningApi {
  const sdk = createOpenAiSdk({ ...llm, baseURL: baseURL || llm.baseURL });
  const asJob = (j: { id: string; status: string; fine_tuned_model: string | null; error?: unknown }): FineTuningJob => ({
    id: j.id,
    status: j.status,
    fine_tuned_model: j.fine_tuned_model,
    error: (j.error as FineTuningJob["error"]) ?? null,
  });
  return {
    async uploadJsonl(filename, content, signal) {
      const file = await sdk.files.create(
        { file: await toFile(Buffer.from(content, "utf8"), filename, { type: "application/jsonl" }), purpose: "fine-tune" },
        signal ? { signal } : undefined,
      );
      return { id: file.id };
    },
    async createJob(a, signal) {
      const job = await sdk.fineTuning.jobs.create(
        {
          model: a.model,
          training_file: a.trainingFile,
          suffix: a.suffix,
          metadata: a.metadata,
          // The preference method; the file then holds {input, preferred_output, non_preferred_output} lines.
          ...(a.method === "dpo" ? { method: { type: "dpo" as const, dpo: { hyperparameters: { beta: a.dpoBeta ?? ("auto" as const) } } } } : {}),
        },
        signal ? { signal } : undefined,
      );
      return asJob(job);
    },
    async findJob(metadata, signal) {
      const page = await sdk.fineTuning.jobs.list({ limit: 100 }, signal ? { signal } : undefined);
      const hit = page.data.find((j) => Object.entries(metadata).every(([k, v]) => j.metadata?.[k] === v));
      return hit ? asJob(hit) : null;
    },
    async retrieveJob(id, signal) {
      try {
        return asJob(await sdk.fineTuning.jobs.retrieve(id, signal ? { signal } : undefined));
      } catch (err) {
        if (transient(err)) throw new FineTuningUnavailableError(err instanceof Error ? err.message : String(err), { cause: err });
        throw err;
      }
    },
    async cancelJob(id, signal) {
      return asJob(await sdk.fineTuning.jobs.cancel(id, signal ? { signal } : undefined));
    },
  };
}
