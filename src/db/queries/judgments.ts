import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import type { PageCursor } from "../../lib/page-cursor";
import { keyset, takePage } from "./keyset";
import { evaluators, judgments, traffic, versions } from "../schema";

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
  const [row] = await cachedJudgmentQuery(db, p);
  return row;
}

/** The cache lookup as a query (its plan is tested: it must use judgments_cache_idx). */
export function cachedJudgmentQuery(db: Db, p: { evaluatorId: string; versionId: string; requestHash: string }) {
  return db
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
}

export type JudgmentFilters = {
  evaluatorId: string;
  versionId?: string;
  from?: Date;
  to?: Date;
  verdict?: "A" | "B" | "tie";
  status?: "ok" | "failed" | "timeout";
};

const paging = keyset(judgments.createdAt, judgments.id);

/** One page, newest first, keyset-paginated on (created_at, id). Returns up to `limit` rows and whether more exist. */
export async function listJudgments(
  db: Db,
  f: JudgmentFilters,
  page: { limit: number; after?: PageCursor },
): Promise<{ rows: JudgmentWithNames[]; next: PageCursor | null }> {
  const where: Array<SQL | undefined> = [eq(judgments.evaluatorId, f.evaluatorId), paging.after(page.after)];
  if (f.versionId) where.push(eq(judgments.versionId, f.versionId));
  if (f.from) where.push(gte(judgments.createdAt, f.from));
  if (f.to) where.push(lt(judgments.createdAt, f.to));
  if (f.verdict) where.push(eq(judgments.verdict, f.verdict));
  if (f.status) where.push(eq(judgments.status, f.status));
  const rows = await db
    .select({ ...withNames, cursorTs: paging.cursorTs })
    .from(judgments)
    .innerJoin(versions, eq(versions.id, judgments.versionId))
    .innerJoin(evaluators, eq(evaluators.id, judgments.evaluatorId))
    .where(and(...where))
    .orderBy(...paging.orderBy)
    .limit(page.limit + 1);
  const { page: pageRows, next } = takePage(rows, page.limit, (r) => ({ ts: r.cursorTs, id: r.judgment.id }));
  return { rows: pageRows.map(flatten), next };
}

/**
 * Stores a judgment and adds its instruction to the evaluator's training pool in one statement
 * (a data-modifying CTE: one round trip, and both or neither). A pool duplicate is skipped.
 */
export async function insertJudgmentWithPoolEntry(db: Db, j: NewJudgment & { id: string }, pool: { hash: string }): Promise<JudgmentRow> {
  const metadata = JSON.stringify({ judgment_id: j.id });
  const entry = db.$with("pool_entry", { id: sql<string>`id` }).as(
    sql`insert into ${traffic} (evaluator_id, instruction, metadata, source, hash)
        values (${j.evaluatorId}, ${j.instruction}, ${metadata}::jsonb, 'judge', ${pool.hash})
        on conflict (evaluator_id, hash) do nothing
        returning id`,
  );
  const [row] = await db.with(entry).insert(judgments).values(j).returning();
  return row!;
}
