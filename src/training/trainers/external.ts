import { versionsOfRun } from "../../db/queries/training";
import type { Trainer } from "./types";

/**
 * Training happens elsewhere (e.g. a LoRA adapter served by vLLM): the data is exported through
 * GET /v1/training/runs/{id}/dataset and the run waits until a version naming this run is
 * registered (POST /v1/versions with training_run_id). That version is the candidate.
 */
export function createExternalTrainer(): Trainer {
  return {
    async train(ctx) {
      // A version names its iteration, or else it must be newer than this iteration's data: a model
      // registered twice by mistake for an earlier iteration is not silently taken for this one.
      const registered = (await versionsOfRun(ctx.deps.db, ctx.runId)).filter(
        (v) =>
          !ctx.usedVersionIds.includes(v.id) &&
          (v.iteration === ctx.iteration || (v.iteration === null && (!ctx.dataReadyAt || v.createdAt >= ctx.dataReadyAt))),
      );
      const version = registered.at(-1);
      if (!version) return { kind: "waiting" };
      return { kind: "candidate", versionId: version.id, details: { registered_model: version.model, base_url: version.baseUrl } };
    },
  };
}
