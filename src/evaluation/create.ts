import { eq } from "drizzle-orm";
import type { AppDeps } from "../deps";
import { insertEvaluation, type EvaluationRow } from "../db/queries/evaluations";
import { countSelection } from "../db/queries/heldout";
import { findVersion, getActiveVersion } from "../db/queries/versions";
import { evaluations, type HeldoutLabel, type HeldoutSource } from "../db/schema";
import { ApiError } from "../lib/errors";
import { defaultGateParams, type GateParams } from "./gate";

export interface EvaluationFilter {
  source?: HeldoutSource;
  category?: string;
  label?: HeldoutLabel;
  /** Only the held-out pairs a training run synthesised. */
  training_run_id?: string;
  /** At most this many items (an unbiased subset: items are taken in random-uuid order). */
  limit?: number;
}

export interface CreateEvaluationParams {
  evaluatorId: string;
  /** Candidate version, id or name. */
  version: string;
  /** Baseline version, id or name; default the active version. */
  against?: string;
  filter?: EvaluationFilter;
  /** Judgments per order, majority-voted, the same for both versions. Default 1. */
  samples?: number;
  /** Judge both orders. Default true; required for promote. */
  swap?: boolean;
  /** Apply the promotion gate when the evaluation completes. Default false. */
  promote?: boolean;
  /** With promote, whether a passing candidate is activated. Default true; false records the decision only. */
  activate?: boolean;
  gate?: Partial<GateParams>;
  actor?: string | null;
  trainingRunId?: string | null;
}

/**
 * Validates and stores a queued evaluation; nothing is judged yet (runEvaluation does that).
 * Throws ApiError: 404 unknown version, 422 same version twice / no held-out item matches /
 * promote without swap / promote against a version that is not the active one / no active version.
 */
export async function createEvaluation(
  deps: Pick<AppDeps, "database" | "config">,
  p: CreateEvaluationParams,
): Promise<EvaluationRow> {
  const db = deps.database.db;
  const candidate = await findVersion(db, p.evaluatorId, p.version);
  if (!candidate) throw new ApiError("not_found", `version '${p.version}' does not exist`);
  const active = await getActiveVersion(db, p.evaluatorId);
  let baseline = active;
  if (p.against !== undefined) {
    baseline = await findVersion(db, p.evaluatorId, p.against);
    if (!baseline) throw new ApiError("not_found", `version '${p.against}' does not exist`);
  }
  if (!baseline) throw invalid("against", "there is no active version to compare against; name one in `against`");
  if (baseline.id === candidate.id) throw invalid("against", `the candidate and the baseline are both ${candidate.name}`);

  const swap = p.swap ?? true;
  const promote = p.promote ?? false;
  if (promote && !swap) {
    throw invalid("swap", "promote needs swap: the gate checks position-consistent accuracy, which needs both orders");
  }
  if (promote && baseline.id !== active?.id) {
    throw invalid("against", `promote compares against the active version${active ? ` (${active.name})` : ""}; ${baseline.name} is not active`);
  }
  const gate: GateParams = { ...defaultGateParams(deps.config), ...definedOnly(p.gate ?? {}) };
  const filter = definedOnly({ ...(p.filter ?? {}) });

  return db.transaction(async (tx) => {
    const row = await insertEvaluation(tx, {
      evaluatorId: p.evaluatorId,
      candidateVersionId: candidate.id,
      baselineVersionId: baseline.id,
      filter,
      samples: p.samples ?? 1,
      swap,
      promote,
      activate: p.activate ?? true,
      gate: { ...gate },
      status: "queued",
      actor: p.actor ?? null,
      trainingRunId: p.trainingRunId ?? null,
    });
    const items = await countSelection(tx, p.evaluatorId, selectionOf(row));
    if (items === 0) throw invalid("filter", "no held-out item matches: add items with POST /v1/heldout first");
    const [updated] = await tx
      .update(evaluations)
      .set({ progressTotal: items * 2 })
      .where(eq(evaluations.id, row.id))
      .returning();
    return updated!;
  });
}

/** The held-out selection an evaluation row describes. */
export function selectionOf(row: EvaluationRow) {
  const f = (row.filter ?? {}) as EvaluationFilter;
  return {
    evaluationId: row.id,
    ...(f.source ? { source: f.source } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.label ? { label: f.label } : {}),
    ...(f.training_run_id ? { trainingRunId: f.training_run_id } : {}),
    ...(f.limit !== undefined ? { limit: f.limit } : {}),
  };
}

function invalid(path: string, message: string): ApiError {
  return new ApiError("validation_failed", `${path}: ${message}`, { errors: [{ path, message }] });
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
