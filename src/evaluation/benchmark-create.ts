import { eq } from "drizzle-orm";
import type { AppDeps } from "../deps";
import { createUnits } from "../db/queries/benchmark-units";
import { findDataset, pairCountsBySubset } from "../db/queries/datasets";
import { insertEvaluation, type EvaluationRow } from "../db/queries/evaluations";
import { findVersion, getActiveVersion } from "../db/queries/versions";
import { evaluations } from "../db/schema";
import { ApiError } from "../lib/errors";
import { defaultGateParams, type GateParams } from "./gate";

export interface CreateBenchmarkEvaluationParams {
  evaluatorId: string;
  dataset: string;
  /** The version evaluated, id or name. */
  version: string;
  /** Optional second version for a paired comparison (id or name); none by default. */
  baseline?: string;
  /** Evaluate a stratified sample of at most this many pairs (proportional per subset). */
  limit?: number;
  /** Only these subsets. */
  subsets?: string[];
  samples?: number;
  swap?: boolean;
  promote?: boolean;
  activate?: boolean;
  gate?: Partial<GateParams>;
  actor?: string | null;
}

/**
 * Per-subset quotas for a sample of `limit` pairs, proportional to each subset's size (largest
 * remainder, ties by name), so every subset keeps its share. null when the sample is everything.
 */
export function stratifiedQuota(counts: Record<string, number>, limit: number | undefined): Record<string, number> | null {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (limit === undefined || limit >= total) return null;
  const names = Object.keys(counts).sort();
  const exact = names.map((s) => (limit * counts[s]!) / total);
  const quota = Object.fromEntries(names.map((s, i) => [s, Math.floor(exact[i]!)]));
  let left = limit - Object.values(quota).reduce((a, b) => a + b, 0);
  const byRemainder = names.map((s, i) => ({ s, r: exact[i]! - Math.floor(exact[i]!) })).sort((a, b) => b.r - a.r || (a.s < b.s ? -1 : 1));
  for (const { s } of byRemainder) {
    if (left === 0) break;
    if (quota[s]! < counts[s]!) {
      quota[s]! += 1;
      left -= 1;
    }
  }
  return quota;
}

/**
 * Validates and stores a queued benchmark evaluation with its sample fixed (one pending unit per
 * pair and version); nothing is judged yet. 404 unknown dataset or version; 422 same version
 * twice, unknown subset, empty sample, promote without swap or a baseline that is not active.
 */
export async function createBenchmarkEvaluation(
  deps: Pick<AppDeps, "database" | "config">,
  p: CreateBenchmarkEvaluationParams,
): Promise<EvaluationRow> {
  const db = deps.database.db;
  const dataset = await findDataset(db, p.evaluatorId, p.dataset);
  if (!dataset) throw new ApiError("not_found", `dataset '${p.dataset}' does not exist (import it with POST /v1/datasets)`);
  const candidate = await findVersion(db, p.evaluatorId, p.version);
  if (!candidate) throw new ApiError("not_found", `version '${p.version}' does not exist`);
  let baseline = null;
  if (p.baseline !== undefined) {
    baseline = await findVersion(db, p.evaluatorId, p.baseline);
    if (!baseline) throw new ApiError("not_found", `version '${p.baseline}' does not exist`);
    if (baseline.id === candidate.id) throw invalid("baseline", `the version and the baseline are both ${candidate.name}`);
  }
  const swap = p.swap ?? true;
  const promote = p.promote ?? false;
  if (promote) {
    if (!baseline) throw invalid("baseline", "promote compares against a baseline: name the active version in `baseline`");
    if (!swap) throw invalid("swap", "promote needs swap: the gate checks position-consistent accuracy, which needs both orders");
    const active = await getActiveVersion(db, p.evaluatorId);
    if (baseline.id !== active?.id) throw invalid("baseline", `promote compares against the active version; ${baseline.name} is not active`);
  }
  const counts = await pairCountsBySubset(db, dataset.id);
  if (p.subsets) {
    const unknown = p.subsets.filter((s) => !(s in counts));
    if (unknown.length > 0) {
      throw invalid("subsets", `dataset '${dataset.name}' has no subset ${unknown.map((s) => `'${s}'`).join(", ")} (it has ${Object.keys(counts).sort().join(", ")})`);
    }
  }
  const selected = p.subsets ? Object.fromEntries(p.subsets.map((s) => [s, counts[s]!])) : counts;
  const quota = stratifiedQuota(selected, p.limit);
  const gate: GateParams = { ...defaultGateParams(deps.config), ...Object.fromEntries(Object.entries(p.gate ?? {}).filter(([, v]) => v !== undefined)) };
  const filter = {
    dataset: dataset.name,
    format: dataset.format,
    ...(p.limit !== undefined ? { limit: p.limit } : {}),
    ...(p.subsets ? { subsets: p.subsets } : {}),
  };

  return db.transaction(async (tx) => {
    const row = await insertEvaluation(tx, {
      evaluatorId: p.evaluatorId,
      candidateVersionId: candidate.id,
      baselineVersionId: baseline?.id ?? null,
      datasetId: dataset.id,
      filter,
      samples: p.samples ?? 1,
      swap,
      promote,
      activate: p.activate ?? true,
      gate: { ...gate },
      status: "queued",
      actor: p.actor ?? null,
    });
    const total = await createUnits(tx, {
      evaluationId: row.id,
      datasetId: dataset.id,
      versionIds: baseline ? [candidate.id, baseline.id] : [candidate.id],
      ...(p.subsets ? { subsets: p.subsets } : {}),
      quota,
    });
    if (total === 0) throw invalid("limit", "the sample is empty");
    const [updated] = await tx.update(evaluations).set({ progressTotal: total }).where(eq(evaluations.id, row.id)).returning();
    return updated!;
  });
}

function invalid(path: string, message: string): ApiError {
  return new ApiError("validation_failed", `${path}: ${message}`, { errors: [{ path, message }] });
}
