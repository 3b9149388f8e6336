import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import type { PageCursor } from "../../lib/page-cursor";
import { evaluators, judgments, versions } from "../schema";

export type JudgmentRow = typeof judgments.$inferSelect;
export type NewJudgment = typeof judgments.$inferInsert;

/** A judgment with the names a response shows next to its ids. */
export type JudgmentWithNames = JudgmentRow & { versionName: string; evaluatorName: string };

const withNames = {
  judgment: judgments,
  versionName: versions.name,
  evaluatorName: evaluators.name,
};

function flatten(r: { judgment: JudgmentRow; versionName: string; evaluatorName: string }): JudgmentWithNames {
  return { ...r.judgment, versionName: r.versionName, evaluatorName: r.evaluatorName };
}

export async function insertJudgment(db: Db, j: NewJudgment): Promise<JudgmentRow> {
  const [row] = await db.insert(judgments).values(j).returning();
  return row!;
}

export async function getJudgment(db: Db, id: string): Promise<JudgmentWithNames | undefined> {
  const [row] = await db
    .select(withNames)
    .from(judgments)
    .innerJoin(versions, eq(versions.id, judgments.versionId))
    .innerJoin(evaluators, eq(evaluators.id, judgments.evaluatorId))
    .where(eq(judgments.id, id))
    .limit(1);
  return row ? flatten(row) : undefined;
}

/**
 * The newest successful judgment of an identical request. The hash already covers evaluator and
 * version; they are repeated in the filter so a hash collision across evaluators cannot leak.
 */
export async function findCachedJudgment(
  db: Db,
  p: { evaluatorId: string; versionId: string; requestHash: string },
): Promise<JudgmentRow | undefined> {
  const [row] = await db
    .select()
    .from(judgments)
    .where(
      and(
        eq(judgments.requestHash, p.requestHash),
        eq(judgments.evaluatorId, p.evaluatorId),
        eq(judgments.versionId, p.versionId),
        eq(judgments.status, "ok"),
      ),
    )
    .orderBy(desc(judgments.createdAt))
    .limit(1);
  return row;
}

/** Position in the newest-first listing: created_at at full (microsecond) precision, then id. */
export type JudgmentCursor = PageCursor;

export type JudgmentFilters = {
  evaluatorId: string;
  versionId?: string;
  from?: Date;
  to?: Date;
  verdict?: "A" | "B" | "tie";
  status?: "ok" | "failed";
};

// A JS Date keeps milliseconds, PostgreSQL microseconds: a cursor built from a Date would
// re-serve rows created within the same millisecond, so the cursor carries the database's text.
const preciseTs = sql<string>`to_char(${judgments.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** One page, newest first, keyset-paginated on (created_at, id). Returns up to `limit` rows and whether more exist. */
export async function listJudgments(
  db: Db,
  f: JudgmentFilters,
  page: { limit: number; after?: JudgmentCursor },
): Promise<{ rows: JudgmentWithNames[]; next: JudgmentCursor | null }> {
  const where: SQL[] = [eq(judgments.evaluatorId, f.evaluatorId)];
  if (f.versionId) where.push(eq(judgments.versionId, f.versionId));
  if (f.from) where.push(gte(judgments.createdAt, f.from));
  if (f.to) where.push(lt(judgments.createdAt, f.to));
  if (f.verdict) where.push(eq(judgments.verdict, f.verdict));
  if (f.status) where.push(eq(judgments.status, f.status));
  if (page.after) {
    where.push(sql`(${judgments.createdAt}, ${judgments.id}) < (${page.after.ts}::timestamptz, ${page.after.id}::uuid)`);
  }
  const rows = await db
    .select({ ...withNames, cursorTs: preciseTs })
    .from(judgments)
    .innerJoin(versions, eq(versions.id, judgments.versionId))
    .innerJoin(evaluators, eq(evaluators.id, judgments.evaluatorId))
    .where(and(...where))
    .orderBy(desc(judgments.createdAt), desc(judgments.id))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  const next = rows.length > page.limit && last ? { ts: last.cursorTs, id: last.judgment.id } : null;
  return { rows: pageRows.map(flatten), next };
}
