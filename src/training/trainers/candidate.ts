import type { FewShotExample } from "../../db/schema";
import { findRunCandidate } from "../../db/queries/training";
import { insertVersion, type VersionRow } from "../../db/queries/versions";
import type { TrainContext } from "./types";

/**
 * The candidate version of an iteration, created once: a re-executed train step finds the one it
 * made before instead of adding a second.
 */
export async function ensureCandidate(
  ctx: TrainContext,
  v: { model: string; baseUrl?: string | null; fewShot: FewShotExample[]; notes: string },
): Promise<VersionRow> {
  const existing = await findRunCandidate(ctx.deps.db, ctx.runId, ctx.iteration);
  if (existing) return existing;
  return insertVersion(ctx.deps.db, {
    evaluatorId: ctx.evaluator.id,
    model: v.model,
    // A jury base trains a single model: its first member's (the one that annotated).
    baseUrl: v.baseUrl === undefined ? (ctx.baseVersion.members?.[0]?.base_url ?? ctx.baseVersion.baseUrl) : v.baseUrl,
    // A model served where the base version is keeps using that provider's key.
    apiKeyEnv: v.baseUrl === undefined && !ctx.baseVersion.members?.length ? ctx.baseVersion.apiKeyEnv : null,
    // The base version's template: its kept judgments (plans and executions included) are what
    // the candidate learnt to write.
    promptTemplate: ctx.baseVersion.promptTemplate,
    template: ctx.baseVersion.template,
    fewShot: v.fewShot,
    params: ctx.baseVersion.params,
    status: "candidate",
    notes: v.notes,
    trainingRunId: ctx.runId,
    iteration: ctx.iteration,
  });
}
