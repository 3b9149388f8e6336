import type { AppDeps } from "../deps";
import {
  getEvaluationWithNames,
  listEvaluations as listEvaluationRows,
  type EvaluationWithNames,
} from "../db/queries/evaluations";
import type { EvaluationStatus } from "../db/schema";
import { requireVersion, resolveEvaluator } from "../evaluators/lookup";
import { requireJobs } from "../jobs/queue";
import { ApiError } from "../lib/errors";
import type { PageCursor } from "../lib/page-cursor";
import { createBenchmarkEvaluation } from "./benchmark-create";
import { createEvaluation, type CreateEvaluationParams } from "./create";
import { cancelEvaluation, enqueueEvaluation, EVALUATION_QUEUE } from "./worker";

// Evaluations as the API manages them: by evaluator name, rows with version names (touches the database).

/** Creates a queued evaluation and hands it to the job runner; 503 before storing anything without one. */
export async function startEvaluation(
  deps: Pick<AppDeps, "database" | "config" | "jobs">,
  p: Omit<CreateEvaluationParams, "evaluatorId"> & {
    evaluator?: string;
    /** Issue 8: evaluate on a named dataset (benchmark-create.ts) instead of the held-out set. */
    dataset?: string;
    baseline?: string;
    limit?: number;
    subsets?: string[];
  },
): Promise<EvaluationWithNames> {
  // Refuse before storing anything: an evaluation nobody will run would sit queued forever.
  requireJobs(deps.jobs);
  const { evaluator: name, dataset, baseline, limit, subsets, ...params } = p;
  const evaluator = await resolveEvaluator(deps.database.db, name);
  if (dataset === undefined && (limit !== undefined || subsets !== undefined)) {
    throw new ApiError("validation_failed", "limit/subsets: only with `dataset` (the held-out set takes filter.limit)", {
      errors: [{ path: limit !== undefined ? "limit" : "subsets", message: "needs `dataset`" }],
    });
  }
  if (dataset !== undefined && params.filter) {
    throw new ApiError("validation_failed", "filter: selects held-out items; with `dataset` use `limit` and `subsets`", {
      errors: [{ path: "filter", message: "not with `dataset`" }],
    });
  }
  const againstOrBaseline = params.against ?? baseline;
  const row =
    dataset !== undefined
      ? await createBenchmarkEvaluation(deps, {
          evaluatorId: evaluator.id,
          dataset,
          version: params.version,
          ...(againstOrBaseline !== undefined ? { baseline: againstOrBaseline } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(subsets !== undefined ? { subsets } : {}),
          ...(params.samples !== undefined ? { samples: params.samples } : {}),
          ...(params.swap !== undefined ? { swap: params.swap } : {}),
          ...(params.promote !== undefined ? { promote: params.promote } : {}),
          ...(params.gate ? { gate: params.gate } : {}),
          actor: params.actor ?? null,
        })
      : await createEvaluation(deps, {
          ...params,
          ...(againstOrBaseline !== undefined ? { against: againstOrBaseline } : {}),
          evaluatorId: evaluator.id,
        });
  await enqueueEvaluation(deps, row.id);
  return (await getEvaluationWithNames(deps.database.db, row.id))!;
}

/** One page of an evaluator's evaluations, optionally by status or by a version on either side. */
export async function listEvaluations(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string; status?: EvaluationStatus; version?: string; page: { limit: number; after?: PageCursor } },
): Promise<{ rows: EvaluationWithNames[]; next: PageCursor | null }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const versionId = p.version ? (await requireVersion(db, evaluator, p.version)).id : undefined;
  return listEvaluationRows(
    db,
    { evaluatorId: evaluator.id, ...(p.status ? { status: p.status } : {}), ...(versionId ? { versionId } : {}) },
    p.page,
  );
}

/** One evaluation with its version names, or a 404 problem. */
export async function getEvaluation(deps: Pick<AppDeps, "database">, id: string): Promise<EvaluationWithNames> {
  const row = await getEvaluationWithNames(deps.database.db, id);
  if (!row) throw new ApiError("not_found", `no evaluation ${id}`);
  return row;
}

/** Cancels a queued or running evaluation (404 unknown, 409 ended) and returns it as it now is. */
export async function stopEvaluation(deps: Pick<AppDeps, "database" | "jobs">, id: string): Promise<EvaluationWithNames> {
  await cancelEvaluation(deps, id);
  // Canceled in the database already (a runner stops within its poll); where the scheduler can
  // stop the work outright (a Workflow instance), do it now.
  await deps.jobs?.cancel?.(EVALUATION_QUEUE, id).catch(() => undefined);
  return (await getEvaluationWithNames(deps.database.db, id))!;
}
