import type { AppDeps } from "../deps";
import { heldoutCounts, type HeldoutCountRow } from "../db/queries/dashboard";
import { listEvaluators, type EvaluatorRow } from "../db/queries/evaluators";
import { listDatasets, type DatasetRow } from "../db/queries/datasets";
import { listHeldout, type HeldoutRow } from "../db/queries/heldout";
import { listVersions, type VersionRow } from "../db/queries/versions";
import { resolveEvaluator } from "../evaluators/lookup";

// The console's held-out page (touches the database): counts in one grouped query, the newest
// items in one page.

export type HeldoutView = {
  evaluators: EvaluatorRow[];
  evaluator: EvaluatorRow;
  counts: HeldoutCountRow[];
  recent: HeldoutRow[];
  /** Named benchmark datasets (issue 8) of this evaluator, and its versions to evaluate on them. */
  datasets: DatasetRow[];
  versions: VersionRow[];
};

export async function heldoutView(deps: Pick<AppDeps, "database">, p: { evaluator?: string; recent?: number }): Promise<HeldoutView> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const [evaluators, counts, recent, datasets, versions] = await Promise.all([
    listEvaluators(db),
    heldoutCounts(db, evaluator.id),
    listHeldout(db, evaluator.id, {}, { limit: p.recent ?? 20 }),
    listDatasets(db, evaluator.id, { limit: 100 }),
    listVersions(db, evaluator.id),
  ]);
  return { evaluators, evaluator, counts, recent: recent.rows, datasets: datasets.rows, versions };
}
