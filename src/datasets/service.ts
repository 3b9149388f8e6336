import type { AppDeps } from "../deps";
import {
  activeEvaluationsOn,
  deleteDatasetRow,
  findDataset,
  getItem,
  listDatasets as listDatasetRows,
  listItems,
  type DatasetItemRow,
  type DatasetRow,
} from "../db/queries/datasets";
import { resolveEvaluator } from "../evaluators/lookup";
import { ApiError } from "../lib/errors";
import type { PageCursor } from "../lib/page-cursor";

// Datasets as the API manages them, by evaluator and name (touches the database).

/** A ready dataset of the evaluator, or a 404 problem. */
export async function requireDataset(deps: Pick<AppDeps, "database">, p: { evaluator?: string; name: string }): Promise<DatasetRow> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const row = await findDataset(db, evaluator.id, p.name);
  if (!row) throw new ApiError("not_found", `evaluator '${evaluator.name}' has no dataset '${p.name}'`);
  return row;
}

export async function listDatasets(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string; page: { limit: number; after?: PageCursor } },
): Promise<{ rows: DatasetRow[]; next: PageCursor | null }> {
  const evaluator = await resolveEvaluator(deps.database.db, p.evaluator);
  return listDatasetRows(deps.database.db, evaluator.id, p.page);
}

export async function listDatasetItems(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string; name: string; subset?: string; afterSeq?: number; limit: number },
): Promise<{ rows: DatasetItemRow[]; nextSeq: number | null }> {
  const ds = await requireDataset(deps, p);
  return listItems(deps.database.db, {
    datasetId: ds.id,
    limit: p.limit,
    ...(p.subset !== undefined ? { subset: p.subset } : {}),
    ...(p.afterSeq !== undefined ? { afterSeq: p.afterSeq } : {}),
  });
}

export async function getDatasetItem(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string; name: string; id: string },
): Promise<DatasetItemRow> {
  const ds = await requireDataset(deps, p);
  const row = await getItem(deps.database.db, ds.id, p.id);
  if (!row) throw new ApiError("not_found", `dataset '${p.name}' has no item ${p.id}`);
  return row;
}

/**
 * Deletes a dataset and its items; 409 while an evaluation on it is queued or running. Finished
 * evaluations keep their results.
 */
export async function deleteDataset(deps: Pick<AppDeps, "database">, p: { evaluator?: string; name: string }): Promise<DatasetRow> {
  const ds = await requireDataset(deps, p);
  const busy = await activeEvaluationsOn(deps.database.db, ds.id);
  if (busy > 0) throw new ApiError("conflict", `dataset '${p.name}' has ${busy} evaluation(s) queued or running; cancel them or wait`);
  await deleteDatasetRow(deps.database.db, ds.id);
  return ds;
}
