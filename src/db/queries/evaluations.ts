import { and, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import type { PageCursor } from "../../lib/page-cursor";
import { keyset, takePage } from "./keyset";
import { evaluationItems, evaluations, heldoutItems, versions, type EvaluationStatus } from "../schema";

export type EvaluationRow = typeof evaluations.$inferSelect;
export type NewEvaluation = typeof evaluations.$inferInsert;
export type EvaluationItemRow = typeof evaluationItems.$inferSelect;

export const TERMINAL_STATUSES: readonly EvaluationStatus[] = ["completed", "failed", "canceled"];

export type EvaluationWithNames = EvaluationRow & { candidateName: string; baselineName: string | null };

const candV = alias(versions, "cand_v");
const baseV = alias(versions, "base_v");

export async function insertEvaluation(db: Db, e: NewEvaluation): Promise<EvaluationRow> {
  const [row] = await db.insert(evaluations).values(e).returning();
  return row!;
}

export async function getEvaluation(db: Db, id: string): Promise<EvaluationRow | undefined> {
  const [row] = await db.select().from(evaluations).where(eq(evaluations.id, id)).limit(1);
  return row;
}

/** Row lock for the short transaction that finishes an evaluation. */
export async function lockEvaluation(db: Db, id: string): Promise<EvaluationRow | undefined> {
  const [row] = await db.select().from(evaluations).where(eq(evaluations.id, id)).for("update");
  return row;
}

/** The evaluation a training run started for its candidate, if any. */
export async function findRunEvaluation(db: Db, trainingRunId: string, candidateVersionId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: evaluations.id })
    .from(evaluations)
    .where(and(eq(evaluations.trainingRunId, trainingRunId), eq(evaluations.candidateVersionId, candidateVersionId)))
    .limit(1);
  return row?.id;
}

/** Progress of several evaluations in one query (a page of training runs shows each one's). */
export async function evaluationProgress(db: Db, ids: string[]): Promise<Map<string, { done: number; total: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: evaluations.id, done: evaluations.progressDone, total: evaluations.progressTotal })
    .from(evaluations)
    .where(inArray(evaluations.id, ids));
  return new Map(rows.map((r) => [r.id, { done: r.done, total: r.total }]));
}

export async function getEvaluationWithNames(db: Db, id: string): Promise<EvaluationWithNames | undefined> {
  const [row] = await db
    .select({ e: evaluations, candidateName: candV.name, baselineName: baseV.name })
    .from(evaluations)
    .innerJoin(candV, eq(candV.id, evaluations.candidateVersionId))
    .leftJoin(baseV, eq(baseV.id, evaluations.baselineVersionId))
    .where(eq(evaluations.id, id))
    .limit(1);
  return row ? { ...row.e, candidateName: row.candidateName, baselineName: row.baselineName } : undefined;
}

const paging = keyset(evaluations.createdAt, evaluations.id);

export async function listEvaluations(
  db: Db,
  f: { evaluatorId: string; status?: EvaluationStatus; versionId?: string; trainingRunId?: string },
  page: { limit: number; after?: PageCursor },
): Promise<{ rows: EvaluationWithNames[]; next: PageCursor | null }> {
  const where: Array<SQL | undefined> = [eq(evaluations.evaluatorId, f.evaluatorId), paging.after(page.after)];
  if (f.status) where.push(eq(evaluations.status, f.status));
  if (f.versionId) {
    where.push(sql`(${evaluations.candidateVersionId} = ${f.versionId} or ${evaluations.baselineVersionId} = ${f.versionId})`);
  }
  if (f.trainingRunId) where.push(eq(evaluations.trainingRunId, f.trainingRunId));
  const rows = await db
    .select({ e: evaluations, candidateName: candV.name, baselineName: baseV.name, cursorTs: paging.cursorTs })
    .from(evaluations)
    .innerJoin(candV, eq(candV.id, evaluations.candidateVersionId))
    .leftJoin(baseV, eq(baseV.id, evaluations.baselineVersionId))
    .where(and(...where))
    .orderBy(...paging.orderBy)
    .limit(page.limit + 1);
  const { page: pageRows, next } = takePage(rows, page.limit, (r) => ({ ts: r.cursorTs, id: r.e.id }));
  return {
    rows: pageRows.map((r) => ({ ...r.e, candidateName: r.candidateName, baselineName: r.baselineName })),
    next,
  };
}

/** queued → running, the first time; a resumed run keeps its original started_at. */
export async function markRunning(db: Db, id: string): Promise<EvaluationRow | undefined> {
  const [row] = await db
    .update(evaluations)
    .set({ status: "running", startedAt: sql`coalesce(${evaluations.startedAt}, now())` })
    .where(and(eq(evaluations.id, id), inArray(evaluations.status, ["queued", "running"])))
    .returning();
  return row;
}

export async function setProgress(db: Db, id: string, done: number): Promise<void> {
  await db
    .update(evaluations)
    .set({ progressDone: done })
    .where(and(eq(evaluations.id, id), eq(evaluations.status, "running")));
}

/** Ends a queued or running evaluation; undefined when it had already ended. */
export async function finishEvaluation(
  db: Db,
  id: string,
  p: { status: "failed" | "canceled"; error?: string | null },
): Promise<EvaluationRow | undefined> {
  const [row] = await db
    .update(evaluations)
    .set({ status: p.status, error: p.error ?? null, finishedAt: sql`now()` })
    .where(and(eq(evaluations.id, id), inArray(evaluations.status, ["queued", "running"])))
    .returning();
  return row;
}

export async function completeEvaluation(
  db: Db,
  id: string,
  p: { result: Record<string, unknown>; progressDone: number },
): Promise<void> {
  await db
    .update(evaluations)
    .set({ status: "completed", result: p.result, progressDone: p.progressDone, finishedAt: sql`now()`, error: null })
    .where(eq(evaluations.id, id));
}

export async function getStatus(db: Db, id: string): Promise<EvaluationStatus | undefined> {
  const [row] = await db.select({ status: evaluations.status }).from(evaluations).where(eq(evaluations.id, id)).limit(1);
  return row?.status;
}

/**
 * Evaluations a process start should hand to the evaluation worker: queued or running, and not
 * part of a training run (the training runner drives those itself and resumes them with its run).
 */
export async function resumableEvaluationIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: evaluations.id })
    .from(evaluations)
    .where(and(inArray(evaluations.status, ["queued", "running"]), isNull(evaluations.trainingRunId)));
  return rows.map((r) => r.id);
}

/** Units already judged (LLM failures are not done: a resumed run tries them again). */
export async function doneUnits(db: Db, evaluationId: string): Promise<Array<{ itemId: string; versionId: string }>> {
  return db
    .select({ itemId: evaluationItems.heldoutItemId, versionId: evaluationItems.versionId })
    .from(evaluationItems)
    .where(and(eq(evaluationItems.evaluationId, evaluationId), isNotNull(evaluationItems.correct)));
}

export type NewEvaluationItem = typeof evaluationItems.$inferInsert;

/**
 * Records one (item, version) result. The primary key makes a repeat a no-op, except that a
 * stored LLM failure (correct IS NULL) is replaced by a real result when a retry gets one.
 */
export async function recordUnit(db: Db, row: NewEvaluationItem): Promise<void> {
  await db
    .insert(evaluationItems)
    .values(row)
    .onConflictDoUpdate({
      target: [evaluationItems.evaluationId, evaluationItems.heldoutItemId, evaluationItems.versionId],
      set: {
        verdict: sql`excluded.verdict`,
        correct: sql`excluded.correct`,
        consistentCorrect: sql`excluded.consistent_correct`,
        invalidVotes: sql`excluded.invalid_votes`,
        totalVotes: sql`excluded.total_votes`,
        detail: sql`excluded.detail`,
      },
      setWhere: sql`${evaluationItems.correct} is null`,
    });
}

export async function countUnits(db: Db, evaluationId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(evaluationItems)
    .where(eq(evaluationItems.evaluationId, evaluationId));
  return row?.n ?? 0;
}

/** Every stored unit with the label, category and source of its item, for scoring. */
export async function scoredUnits(db: Db, evaluationId: string) {
  return db
    .select({
      itemId: evaluationItems.heldoutItemId,
      versionId: evaluationItems.versionId,
      verdict: evaluationItems.verdict,
      correct: evaluationItems.correct,
      consistentCorrect: evaluationItems.consistentCorrect,
      invalidVotes: evaluationItems.invalidVotes,
      totalVotes: evaluationItems.totalVotes,
      detail: evaluationItems.detail,
      label: heldoutItems.label,
      category: heldoutItems.category,
      source: heldoutItems.source,
      // For the bias probes and the agreement report: lengths, and the served judgment a label came from.
      lenA: sql<number>`char_length(${heldoutItems.responseA})`.mapWith(Number),
      lenB: sql<number>`char_length(${heldoutItems.responseB})`.mapWith(Number),
      sourceJudgmentId: heldoutItems.judgmentId,
    })
    .from(evaluationItems)
    .innerJoin(heldoutItems, eq(heldoutItems.id, evaluationItems.heldoutItemId))
    .where(eq(evaluationItems.evaluationId, evaluationId));
}
