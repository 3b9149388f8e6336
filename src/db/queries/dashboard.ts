import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { PageCursor } from "../../lib/page-cursor";
import type { Db } from "../client";
import { heldoutItems, judgments, trainingRuns, versions } from "../schema";
import { keyset, takePage } from "./keyset";

export type LastRunRow = typeof trainingRuns.$inferSelect;

/** Each evaluator's newest training run: one query (DISTINCT ON over the (evaluator, created_at) index). */
export async function lastRunPerEvaluator(db: Db): Promise<LastRunRow[]> {
  return db
    .selectDistinctOn([trainingRuns.evaluatorId])
    .from(trainingRuns)
    .orderBy(trainingRuns.evaluatorId, desc(trainingRuns.createdAt))
    .then((rows) => rows);
}

/** UTC day `days` before `now`, as YYYY-MM-DD. */
export function dayBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}


export type JudgmentSearch = {
  evaluatorId: string;
  versionId?: string;
  verdict?: "A" | "B" | "tie";
  status?: "ok" | "failed";
  from?: Date;
  to?: Date;
  /** Words that must all occur in the instruction (word match through the GIN full-text index). */
  text?: string;
};

const judgmentPaging = keyset(judgments.createdAt, judgments.id);

/** A judgments page for the console: summary columns only (no texts beyond a preview), newest first. */
export async function searchJudgments(db: Db, f: JudgmentSearch, page: { limit: number; after?: PageCursor }) {
  const where: Array<SQL | undefined> = [eq(judgments.evaluatorId, f.evaluatorId), judgmentPaging.after(page.after)];
  if (f.versionId) where.push(eq(judgments.versionId, f.versionId));
  if (f.verdict) where.push(eq(judgments.verdict, f.verdict));
  if (f.status) where.push(eq(judgments.status, f.status));
  if (f.from) where.push(gte(judgments.createdAt, f.from));
  if (f.to) where.push(lt(judgments.createdAt, f.to));
  if (f.text) where.push(sql`to_tsvector('simple', ${judgments.instruction}) @@ plainto_tsquery('simple', ${f.text})`);
  const rows = await db
    .select({
      id: judgments.id,
      createdAt: judgments.createdAt,
      versionName: versions.name,
      status: judgments.status,
      verdict: judgments.verdict,
      confidence: judgments.confidence,
      positionConsistent: judgments.positionConsistent,
      preview: sql<string>`left(${judgments.instruction}, 160)`,
      usage: judgments.usage,
      latencyMs: judgments.latencyMs,
      cursorTs: judgmentPaging.cursorTs,
    })
    .from(judgments)
    .innerJoin(versions, eq(versions.id, judgments.versionId))
    .where(and(...where))
    .orderBy(...judgmentPaging.orderBy)
    .limit(page.limit + 1);
  return takePage(rows, page.limit, (r) => ({ ts: r.cursorTs, id: r.id }));
}

export type JudgmentListRow = Awaited<ReturnType<typeof searchJudgments>>["page"][number];


/** An evaluator's held-out set counted by source, category and label: one grouped query. */
export async function heldoutCounts(db: Db, evaluatorId: string) {
  const rows = await db
    .select({ source: heldoutItems.source, category: heldoutItems.category, label: heldoutItems.label, n: sql<number>`count(*)::int` })
    .from(heldoutItems)
    .where(eq(heldoutItems.evaluatorId, evaluatorId))
    .groupBy(heldoutItems.source, heldoutItems.category, heldoutItems.label);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export type HeldoutCountRow = Awaited<ReturnType<typeof heldoutCounts>>[number];
