import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database, Db } from "../client";
import type { PageCursor } from "../../lib/page-cursor";
import { keyset, takePage } from "./keyset";
import { datasetItems, datasets, evaluations, type DatasetFormat } from "../schema";

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetItemRow = typeof datasetItems.$inferSelect;
export type NewDatasetItem = typeof datasetItems.$inferInsert;

/** Creates the dataset in `importing` state; undefined when the name is taken (whatever its state). */
export async function insertImportingDataset(
  db: Db,
  p: { evaluatorId: string; name: string; format: DatasetFormat; actor: string | null },
): Promise<DatasetRow | undefined> {
  const [row] = await db
    .insert(datasets)
    .values({ ...p, status: "importing" })
    .onConflictDoNothing({ target: [datasets.evaluatorId, datasets.name] })
    .returning();
  return row;
}

export async function findDatasetAnyState(db: Db, evaluatorId: string, name: string): Promise<DatasetRow | undefined> {
  const [row] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.evaluatorId, evaluatorId), eq(datasets.name, name)))
    .limit(1);
  return row;
}

/** A ready dataset by name (an import still under way is invisible). */
export async function findDataset(db: Db, evaluatorId: string, name: string): Promise<DatasetRow | undefined> {
  const row = await findDatasetAnyState(db, evaluatorId, name);
  return row?.status === "ready" ? row : undefined;
}

export async function findDatasetById(db: Db, id: string): Promise<DatasetRow | undefined> {
  const [row] = await db.select().from(datasets).where(eq(datasets.id, id)).limit(1);
  return row;
}

export async function markDatasetReady(
  db: Db,
  id: string,
  p: { received: number; itemCount: number; duplicates: number; subsets: Record<string, number> },
): Promise<DatasetRow> {
  const [row] = await db.update(datasets).set({ ...p, status: "ready" }).where(eq(datasets.id, id)).returning();
  return row!;
}

/** Deletes a dataset and (cascade) its items. */
export async function deleteDatasetRow(db: Db, id: string): Promise<void> {
  await db.delete(datasets).where(eq(datasets.id, id));
}

const ITEM_COLUMNS = "dataset_id, seq, subset, external_id, instruction, dialogue, response_a, response_b, label, meta, pair_hash, content_hash";
// jsonb values are sent as text and cast on the server, so no driver re-encodes them.
const ITEM_ROW = ["::uuid", "::int", "", "", "", "::text::jsonb", "", "", "", "::text::jsonb", "", ""];

const MAX_ROWS_PER_STATEMENT = Math.floor(65_534 / ITEM_ROW.length);

/** `($1::uuid,$2::int,...),(...)` for n rows (about a millisecond for 1,000). */
function itemValues(n: number): string {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) rows.push(`(${ITEM_ROW.map((cast, c) => `$${i * ITEM_ROW.length + c + 1}${cast}`).join(",")})`);
  return rows.join(",");
}

/**
 * Inserts a batch in one multi-row statement sent straight to the driver; rows whose content is
 * already in the dataset are skipped (ON CONFLICT on the content hash). Returns how many rows of
 * each subset were actually inserted. Not through the query builder: drizzle spent more CPU
 * building 12 placeholders a row than the database spent inserting them. Plain text parameters,
 * not a JSON array unpacked by json_to_recordset: PostgreSQL's JSON parser doubled the server's
 * CPU per row, where a text parameter is taken as it comes.
 */
export async function insertItems(database: Pick<Database, "sql" | "pglite">, rows: NewDatasetItem[]): Promise<Record<string, number>> {
  if (rows.length === 0) return {};
  if (rows.length > MAX_ROWS_PER_STATEMENT) {
    // Both drivers refuse more than 65,534 parameters in one statement (16-bit count).
    const total: Record<string, number> = {};
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
      for (const [s, n] of Object.entries(await insertItems(database, rows.slice(i, i + MAX_ROWS_PER_STATEMENT)))) total[s] = (total[s] ?? 0) + n;
    }
    return total;
  }
  const params: unknown[] = [];
  for (const r of rows) {
    params.push(
      r.datasetId,
      r.seq,
      r.subset,
      r.externalId ?? null,
      r.instruction,
      r.dialogue ? JSON.stringify(r.dialogue) : null,
      r.responseA,
      r.responseB,
      r.label,
      JSON.stringify(r.meta ?? {}),
      r.pairHash,
      r.contentHash,
    );
  }
  const text =
    `with inserted as (insert into dataset_items (${ITEM_COLUMNS}) values ${itemValues(rows.length)} ` +
    `on conflict (dataset_id, content_hash) do nothing returning subset) ` +
    `select subset, count(*)::int as n from inserted group by subset`;
  const counts = database.sql
    ? await database.sql.unsafe<Array<{ subset: string; n: number }>>(text, params as never[], { prepare: true })
    : (await database.pglite!.query<{ subset: string; n: number }>(text, params)).rows;
  return Object.fromEntries(counts.map((c) => [c.subset, Number(c.n)]));
}

const paging = keyset(datasets.createdAt, datasets.id);

export async function listDatasets(
  db: Db,
  evaluatorId: string,
  page: { limit: number; after?: PageCursor },
): Promise<{ rows: DatasetRow[]; next: PageCursor | null }> {
  const rows = await db
    .select({ d: datasets, cursorTs: paging.cursorTs })
    .from(datasets)
    .where(and(eq(datasets.evaluatorId, evaluatorId), eq(datasets.status, "ready"), paging.after(page.after)))
    .orderBy(...paging.orderBy)
    .limit(page.limit + 1);
  const { page: pageRows, next } = takePage(rows, page.limit, (r) => ({ ts: r.cursorTs, id: r.d.id }));
  return { rows: pageRows.map((r) => r.d), next };
}

/** Items in file order, after `afterSeq`, optionally of one subset. */
export async function listItems(
  db: Db,
  p: { datasetId: string; subset?: string; afterSeq?: number; limit: number },
): Promise<{ rows: DatasetItemRow[]; nextSeq: number | null }> {
  const where = [eq(datasetItems.datasetId, p.datasetId)];
  if (p.subset !== undefined) where.push(eq(datasetItems.subset, p.subset));
  if (p.afterSeq !== undefined) where.push(gt(datasetItems.seq, p.afterSeq));
  const rows = await db
    .select()
    .from(datasetItems)
    .where(and(...where))
    .orderBy(asc(datasetItems.seq), asc(datasetItems.id))
    .limit(p.limit + 1);
  const pageRows = rows.slice(0, p.limit);
  return { rows: pageRows, nextSeq: rows.length > p.limit ? pageRows.at(-1)!.seq : null };
}

export async function getItem(db: Db, datasetId: string, id: string): Promise<DatasetItemRow | undefined> {
  const [row] = await db
    .select()
    .from(datasetItems)
    .where(and(eq(datasetItems.datasetId, datasetId), eq(datasetItems.id, id)))
    .limit(1);
  return row;
}

/** Evaluations still queued or running on a dataset (a delete waits for them). */
export async function activeEvaluationsOn(db: Db, datasetId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(evaluations)
    .where(and(eq(evaluations.datasetId, datasetId), inArray(evaluations.status, ["queued", "running"])));
  return row?.n ?? 0;
}

/** Distinct judged pairs per subset (what a benchmark evaluation samples from). */
export async function pairCountsBySubset(db: Db, datasetId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ subset: datasetItems.subset, n: sql<number>`count(distinct ${datasetItems.pairHash})::int` })
    .from(datasetItems)
    .where(eq(datasetItems.datasetId, datasetId))
    .groupBy(datasetItems.subset);
  return Object.fromEntries(rows.map((r) => [r.subset, r.n]));
}
