import { and, asc, eq, gt, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import type { PageCursor } from "../../lib/page-cursor";
import { keyset, takePage } from "./keyset";
import { evaluations, heldoutItems, type HeldoutLabel, type HeldoutSource } from "../schema";
import { canonicalJson, sha256Hex } from "../../lib/hash";

export type HeldoutRow = typeof heldoutItems.$inferSelect;

export type HeldoutInput = {
  instruction: string;
  response_a: string;
  response_b: string;
  label: HeldoutLabel;
  source: HeldoutSource;
  category?: string | null;
  note?: string | null;
  judgmentId?: string | null;
  trainingRunId?: string | null;
};

export type HeldoutFilter = {
  source?: HeldoutSource;
  category?: string;
  label?: HeldoutLabel;
  trainingRunId?: string;
};

/**
 * Identity of a labelled pair: the exact instruction and both responses, in order. The label is
 * not part of it, so the same pair cannot sit in the set twice with two different labels.
 */
export function heldoutContentHash(i: { instruction: string; response_a: string; response_b: string }): Promise<string> {
  return sha256Hex(canonicalJson([i.instruction, i.response_a, i.response_b]));
}

const CHUNK = 500;

/**
 * Adds labelled pairs to an evaluator's held-out set in one transaction, skipping pairs already
 * present (by content hash, including repeats inside the batch). Returns how many were new.
 */
export async function insertHeldoutItems(
  db: Db,
  evaluatorId: string,
  items: HeldoutInput[],
): Promise<{ inserted: number; duplicates: number; ids: string[] }> {
  if (items.length === 0) return { inserted: 0, duplicates: 0, ids: [] };
  const seen = new Set<string>();
  const rows: Array<typeof heldoutItems.$inferInsert> = [];
  for (const i of items) {
    const contentHash = await heldoutContentHash(i);
    if (seen.has(contentHash)) continue;
    seen.add(contentHash);
    rows.push({
      evaluatorId,
      instruction: i.instruction,
      responseA: i.response_a,
      responseB: i.response_b,
      label: i.label,
      source: i.source,
      category: i.category ?? null,
      contentHash,
      judgmentId: i.judgmentId ?? null,
      trainingRunId: i.trainingRunId ?? null,
      note: i.note ?? null,
    });
  }
  const ids = await db.transaction(async (tx) => {
    const out: string[] = [];
    for (let k = 0; k < rows.length; k += CHUNK) {
      const inserted = await tx
        .insert(heldoutItems)
        .values(rows.slice(k, k + CHUNK))
        .onConflictDoNothing({ target: [heldoutItems.evaluatorId, heldoutItems.contentHash] })
        .returning({ id: heldoutItems.id });
      out.push(...inserted.map((r) => r.id));
    }
    return out;
  });
  return { inserted: ids.length, duplicates: items.length - ids.length, ids };
}

/** Every held-out item of the evaluator, whatever its source or label. */
export async function countHeldout(db: Db, evaluatorId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(heldoutItems).where(eq(heldoutItems.evaluatorId, evaluatorId));
  return Number(row?.n ?? 0);
}

export async function findHeldoutByHash(db: Db, evaluatorId: string, contentHash: string): Promise<HeldoutRow | undefined> {
  const [row] = await db
    .select()
    .from(heldoutItems)
    .where(and(eq(heldoutItems.evaluatorId, evaluatorId), eq(heldoutItems.contentHash, contentHash)))
    .limit(1);
  return row;
}

export async function findHeldoutByJudgment(db: Db, judgmentId: string): Promise<HeldoutRow | undefined> {
  const [row] = await db.select().from(heldoutItems).where(eq(heldoutItems.judgmentId, judgmentId)).limit(1);
  return row;
}

export async function insertHeldoutItem(db: Db, evaluatorId: string, item: HeldoutInput): Promise<HeldoutRow | undefined> {
  const [row] = await db
    .insert(heldoutItems)
    .values({
      evaluatorId,
      instruction: item.instruction,
      responseA: item.response_a,
      responseB: item.response_b,
      label: item.label,
      source: item.source,
      category: item.category ?? null,
      contentHash: await heldoutContentHash(item),
      judgmentId: item.judgmentId ?? null,
      trainingRunId: item.trainingRunId ?? null,
      note: item.note ?? null,
    })
    .onConflictDoNothing({ target: [heldoutItems.evaluatorId, heldoutItems.contentHash] })
    .returning();
  return row;
}

export async function updateHeldoutLabel(
  db: Db,
  id: string,
  p: { label: HeldoutLabel; note: string | null },
): Promise<HeldoutRow | undefined> {
  const [row] = await db.update(heldoutItems).set({ label: p.label, note: p.note }).where(eq(heldoutItems.id, id)).returning();
  return row;
}

function filterWhere(evaluatorId: string, f: HeldoutFilter): SQL[] {
  const where: SQL[] = [eq(heldoutItems.evaluatorId, evaluatorId)];
  if (f.source) where.push(eq(heldoutItems.source, f.source));
  if (f.category) where.push(eq(heldoutItems.category, f.category));
  if (f.label) where.push(eq(heldoutItems.label, f.label));
  if (f.trainingRunId) where.push(eq(heldoutItems.trainingRunId, f.trainingRunId));
  return where;
}

const paging = keyset(heldoutItems.createdAt, heldoutItems.id);

/** Newest first, keyset-paged on (created_at, id), with the filtered total. */
export async function listHeldout(
  db: Db,
  evaluatorId: string,
  f: HeldoutFilter,
  page: { limit: number; after?: PageCursor },
): Promise<{ rows: HeldoutRow[]; next: PageCursor | null; total: number }> {
  const base = filterWhere(evaluatorId, f);
  const rows = await db
    .select({ item: heldoutItems, cursorTs: paging.cursorTs })
    .from(heldoutItems)
    .where(and(...base, paging.after(page.after)))
    .orderBy(...paging.orderBy)
    .limit(page.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(heldoutItems)
    .where(and(...base));
  const { page: pageRows, next } = takePage(rows, page.limit, (r) => ({ ts: r.cursorTs, id: r.item.id }));
  return {
    rows: pageRows.map((r) => r.item),
    next,
    total: count?.n ?? 0,
  };
}

/**
 * The items an evaluation judges: the filter applied to the items that existed when the
 * evaluation was created, in id order (uuids are random, so a `limit` takes an unbiased sample)
 * and capped at `limit`. The same evaluation always selects the same items, which is what makes
 * it resumable. The cutoff is compared in SQL against the evaluation's own created_at, at the
 * database's microsecond precision (a JS Date would cut it to milliseconds).
 */
export type EvaluationSelection = HeldoutFilter & { evaluationId: string; limit?: number };

function cutoff(s: EvaluationSelection): SQL {
  return lte(heldoutItems.createdAt, sql`(select ${evaluations.createdAt} from ${evaluations} where ${evaluations.id} = ${s.evaluationId})`);
}

export async function countSelection(db: Db, evaluatorId: string, s: EvaluationSelection): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(heldoutItems)
    .where(and(...filterWhere(evaluatorId, s), cutoff(s)));
  const n = row?.n ?? 0;
  return s.limit === undefined ? n : Math.min(n, s.limit);
}

/** One page of the selection after `afterId`; the caller stops once it has taken `limit` items. */
export async function selectionPage(
  db: Db,
  evaluatorId: string,
  s: EvaluationSelection,
  afterId: string | null,
  pageSize: number,
): Promise<HeldoutRow[]> {
  const where = [...filterWhere(evaluatorId, s), cutoff(s)];
  if (afterId) where.push(gt(heldoutItems.id, afterId));
  return db
    .select()
    .from(heldoutItems)
    .where(and(...where))
    .orderBy(asc(heldoutItems.id))
    .limit(pageSize);
}
