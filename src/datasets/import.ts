import type { AppDeps } from "../deps";
import {
  deleteDatasetRow,
  findDatasetAnyState,
  insertImportingDataset,
  insertItems,
  markDatasetReady,
  type DatasetRow,
  type NewDatasetItem,
} from "../db/queries/datasets";
import type { DatasetFormat } from "../db/schema";
import { resolveEvaluator } from "../evaluators/lookup";
import { ApiError } from "../lib/errors";
import { mapRecord, RecordError } from "./formats";
import type { RawRecord } from "./readers";

export interface ImportDatasetParams {
  evaluator?: string;
  name: string;
  format: DatasetFormat;
  /** The file's records, streamed (src/datasets/readers.ts). */
  records: AsyncIterable<RawRecord>;
  actor?: string | null;
}

export interface ImportSummary {
  dataset: DatasetRow;
  received: number;
  inserted: number;
  duplicates: number;
  subsets: Record<string, number>;
}

// A batch is sent when it holds this many items or this many characters of text, whichever comes
// first: big enough that the per-statement cost vanishes, small enough that one batch (held twice:
// the one being written and the one being read) stays a few MB whatever the file's size.
const BATCH_ITEMS = 1000;
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * Imports a whole file as a new, immutable dataset: all or nothing. Records are mapped and
 * inserted in batches while the file streams in; the dataset stays invisible (`importing`) until
 * the last batch, and any bad record deletes everything already inserted and answers 422 naming
 * the record and the field. 409 when the name is taken. Items identical in content are stored once.
 */
export async function importDataset(deps: Pick<AppDeps, "database">, p: ImportDatasetParams): Promise<ImportSummary> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const dataset = await insertImportingDataset(db, { evaluatorId: evaluator.id, name: p.name, format: p.format, actor: p.actor ?? null });
  if (!dataset) {
    const existing = await findDatasetAnyState(db, evaluator.id, p.name);
    throw new ApiError(
      "conflict",
      existing?.status === "importing"
        ? `dataset '${p.name}' is being imported right now`
        : `dataset '${p.name}' already exists; datasets are immutable: import under a new name or DELETE it first`,
    );
  }
  let received = 0;
  let seq = 0;
  const subsets: Record<string, number> = {};
  let batch: NewDatasetItem[] = [];
  let chars = 0;
  // The next batch is read and mapped while the previous one is written: the database and the
  // parser work at the same time, with at most one batch in flight (memory stays bounded).
  let writing: Promise<void> | null = null;
  const settle = async () => {
    const w = writing;
    writing = null;
    await w;
  };
  const flush = async () => {
    await settle();
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    chars = 0;
    writing = insertItems(deps.database, rows).then((counts) => {
      for (const [s, n] of Object.entries(counts)) subsets[s] = (subsets[s] ?? 0) + n;
    });
    // A failed write is reported by the next flush (or the final one); until then it must not
    // count as an unhandled rejection.
    writing.catch(() => undefined);
  };
  try {
    let where = "the file";
    try {
      for await (const rec of p.records) {
        where = rec.where;
        received += 1;
        for (const item of mapRecord(p.format, rec.value)) {
          batch.push({ datasetId: dataset.id, seq: seq++, ...item });
          chars += item.instruction.length + item.responseA.length + item.responseB.length;
        }
        if (batch.length >= BATCH_ITEMS || chars >= BATCH_CHARS) await flush();
      }
    } catch (err) {
      if (err instanceof RecordError) throw recordProblem(err, where, p.format);
      throw err;
    }
    await flush();
    await settle();
    if (received === 0) {
      throw new ApiError("validation_failed", "the file holds no record; nothing was imported", {
        errors: [{ path: "body", message: "no record" }],
      });
    }
    const inserted = Object.values(subsets).reduce((a, b) => a + b, 0);
    const ready = await markDatasetReady(db, dataset.id, { received, itemCount: inserted, duplicates: seq - inserted, subsets });
    return { dataset: ready, received, inserted, duplicates: seq - inserted, subsets };
  } catch (err) {
    // The batch still being written must land (or fail) before the rows are deleted.
    await settle().catch(() => undefined);
    await deleteDatasetRow(db, dataset.id);
    throw err;
  }
}

function recordProblem(err: RecordError, where: string, format: DatasetFormat): ApiError {
  const fileLevel = "where" in err && typeof (err as { where?: unknown }).where === "string";
  const at = fileLevel ? (err as unknown as { where: string }).where : where;
  const path = err.field ? `${at}.${err.field}` : at;
  const what = err.field ? `${at}, field ${err.field}` : at;
  return new ApiError("validation_failed", `${what}: ${err.message} (format ${format}); nothing was imported`, {
    errors: [{ path, message: err.message }],
  });
}
