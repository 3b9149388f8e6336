import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rawRows } from "../client";
import { trainingExamples, trainingPairs, trainingRuns, traffic, versions, type TrainingStatus } from "../schema";
import type { VersionRow } from "./versions";
import type { PageCursor } from "../../lib/page-cursor";
import { keyset, takePage } from "./keyset";

export type TrainingRunRow = typeof trainingRuns.$inferSelect;

/** Statuses that hold one of an evaluator's config.training.maxConcurrentRuns slots. */
export const ACTIVE_STATUSES: TrainingStatus[] = ["queued", "running", "waiting_external"];
export const TERMINAL_STATUSES: TrainingStatus[] = ["completed", "failed", "canceled"];

// Arbitrary constant: serialises "count active runs, then insert" across instances.
const RUN_CAPACITY_LOCK = 7_263_004;

export type NewRun = {
  evaluatorId: string;
  params: Record<string, unknown>;
  trigger: "api" | "schedule";
};

/**
 * Inserts a queued run unless `maxActive` runs of the same evaluator are already active; runs of
 * different evaluators go side by side.
 * The check and the insert share one transaction under an advisory lock, so two concurrent
 * requests cannot both take the last slot. Returns null when at capacity.
 */
export async function insertRunWithinCapacity(db: Db, run: NewRun, maxActive: number): Promise<TrainingRunRow | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RUN_CAPACITY_LOCK})`);
    const [active] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(trainingRuns)
      .where(and(eq(trainingRuns.evaluatorId, run.evaluatorId), inArray(trainingRuns.status, ACTIVE_STATUSES)));
    if ((active?.n ?? 0) >= maxActive) return null;
    const [row] = await tx
      .insert(trainingRuns)
      .values({
        evaluatorId: run.evaluatorId,
        params: run.params,
        trigger: run.trigger,
        // The pool as it is now: the run only ever reads rows up to this cursor.
        poolSeqAtStart: sql`(select coalesce(max(${traffic.seq}), 0) from ${traffic} where ${traffic.evaluatorId} = ${run.evaluatorId})`,
      })
      .returning();
    return row!;
  });
}

export async function getRun(db: Db, id: string): Promise<TrainingRunRow | undefined> {
  const [row] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, id)).limit(1);
  return row;
}

export async function getEvaluatorRun(db: Db, evaluatorId: string, id: string): Promise<TrainingRunRow | undefined> {
  const [row] = await db
    .select()
    .from(trainingRuns)
    .where(and(eq(trainingRuns.id, id), eq(trainingRuns.evaluatorId, evaluatorId)))
    .limit(1);
  return row;
}

const paging = keyset(trainingRuns.createdAt, trainingRuns.id);

/** Newest first, keyset-paged on (created_at, id). */
export async function listRuns(
  db: Db,
  evaluatorId: string,
  opts: { limit: number; after?: PageCursor; status?: TrainingStatus },
): Promise<{ rows: TrainingRunRow[]; next: PageCursor | null }> {
  const rows = await db
    .select({ run: trainingRuns, ts: paging.cursorTs })
    .from(trainingRuns)
    .where(
      and(
        eq(trainingRuns.evaluatorId, evaluatorId),
        paging.after(opts.after),
        opts.status ? eq(trainingRuns.status, opts.status) : undefined,
      ),
    )
    .orderBy(...paging.orderBy)
    .limit(opts.limit + 1);
  const { page, next } = takePage(rows, opts.limit, (r) => ({ ts: r.ts, id: r.run.id }));
  return { rows: page.map((r) => r.run), next };
}

/** Runs a worker must (re)start: queued, or running when their process died. */
export async function resumableRunIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: trainingRuns.id })
    .from(trainingRuns)
    .where(inArray(trainingRuns.status, ["queued", "running"]));
  return rows.map((r) => r.id);
}

/**
 * Cancel: a run nobody is executing (queued, waiting for an external model) stops at once; a
 * running one gets the flag its runner checks between items.
 */
export async function requestCancel(db: Db, id: string, now: Date): Promise<TrainingRunRow | undefined> {
  const [idle] = await db
    .update(trainingRuns)
    .set({ status: "canceled", cancelRequested: true, finishedAt: now, updatedAt: now, currentStep: null })
    .where(and(eq(trainingRuns.id, id), inArray(trainingRuns.status, ["queued", "waiting_external"]), sql`(${trainingRuns.leaseUntil} is null or ${trainingRuns.leaseUntil} < now())`))
    .returning();
  if (idle) return idle;
  const [flagged] = await db
    .update(trainingRuns)
    .set({ cancelRequested: true, updatedAt: now })
    .where(and(eq(trainingRuns.id, id), inArray(trainingRuns.status, ACTIVE_STATUSES)))
    .returning();
  return flagged ?? getRun(db, id);
}

/**
 * Takes the run for `owner` unless a live lease is held by someone else. Uses the database clock
 * so every process agrees on expiry.
 */
export async function acquireLease(db: Db, id: string, owner: string, ttlSeconds: number): Promise<TrainingRunRow | undefined> {
  const [row] = await db
    .update(trainingRuns)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${ttlSeconds})` })
    .where(
      and(
        eq(trainingRuns.id, id),
        inArray(trainingRuns.status, ["queued", "running"]),
        sql`(${trainingRuns.leaseUntil} is null or ${trainingRuns.leaseUntil} < now() or ${trainingRuns.leaseOwner} = ${owner})`,
      ),
    )
    .returning();
  return row;
}

/** Extends the lease; undefined when it was lost. Also reports a pending cancel. */
export async function renewLease(
  db: Db,
  id: string,
  owner: string,
  ttlSeconds: number,
): Promise<{ cancelRequested: boolean } | undefined> {
  const [row] = await db
    .update(trainingRuns)
    .set({ leaseUntil: sql`now() + make_interval(secs => ${ttlSeconds})` })
    .where(and(eq(trainingRuns.id, id), eq(trainingRuns.leaseOwner, owner)))
    .returning({ cancelRequested: trainingRuns.cancelRequested });
  return row;
}

export async function releaseLease(db: Db, id: string, owner: string): Promise<void> {
  await db
    .update(trainingRuns)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(trainingRuns.id, id), eq(trainingRuns.leaseOwner, owner)));
}

/** Only safe where one process owns the database (PGlite's data-folder lock guarantees it). */
export async function clearAllLeases(db: Db): Promise<void> {
  await db.update(trainingRuns).set({ leaseOwner: null, leaseUntil: null }).where(sql`${trainingRuns.leaseOwner} is not null`);
}

export type RunPatch = Partial<
  Pick<
    TrainingRunRow,
    "status" | "currentStep" | "iteration" | "progress" | "counters" | "iterations" | "state" | "error" | "finishedAt"
  >
>;

/**
 * Written by the lease holder only (`owner`), so read-modify-write of the jsonb columns is safe:
 * a runner that lost its lease to another process can no longer overwrite that one's state.
 */
export async function updateRun(db: Db, id: string, patch: RunPatch, now: Date, owner: string): Promise<void> {
  await db
    .update(trainingRuns)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(trainingRuns.id, id), eq(trainingRuns.leaseOwner, owner)));
}

/** Adds token counts atomically (several flushes may race with the lease holder's other writes). */
export async function addRunUsage(db: Db, id: string, delta: Record<string, number>): Promise<void> {
  const entries = Object.entries(delta).filter(([, v]) => v !== 0);
  if (entries.length === 0) return;
  let expr = sql`${trainingRuns.usage}`;
  for (const [k, v] of entries) {
    expr = sql`jsonb_set(${expr}, ${`{${k}}`}::text[], to_jsonb(coalesce((${trainingRuns.usage}->>${k})::bigint, 0) + ${v}))`;
  }
  await db.update(trainingRuns).set({ usage: expr }).where(eq(trainingRuns.id, id));
}

/** Moves a run between statuses only if it is still in one of `from`; true when it did. */
export async function transitionRun(
  db: Db,
  id: string,
  from: TrainingStatus[],
  to: TrainingStatus,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(trainingRuns)
    .set({ status: to, updatedAt: now })
    .where(and(eq(trainingRuns.id, id), inArray(trainingRuns.status, from)))
    .returning({ id: trainingRuns.id });
  return rows.length > 0;
}

/** Newest run of an evaluator, for the schedule's "new instructions since" check. */
export async function lastRun(db: Db, evaluatorId: string): Promise<TrainingRunRow | undefined> {
  const [row] = await db
    .select()
    .from(trainingRuns)
    .where(eq(trainingRuns.evaluatorId, evaluatorId))
    .orderBy(desc(trainingRuns.createdAt))
    .limit(1);
  return row;
}

export async function countPoolSince(db: Db, evaluatorId: string, afterSeq: number): Promise<number> {
  const [row] = await rawRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${traffic} where ${traffic.evaluatorId} = ${evaluatorId} and ${traffic.seq} > ${afterSeq}`,
  );
  return Number(row?.n ?? 0);
}

/** The candidate a run already created for an iteration (so a re-executed step does not create another). */
export async function findRunCandidate(db: Db, runId: string, iteration: number): Promise<VersionRow | undefined> {
  const [row] = await db
    .select()
    .from(versions)
    .where(and(eq(versions.trainingRunId, runId), eq(versions.iteration, iteration)))
    .limit(1);
  return row;
}

/** Versions registered for a run (an externally trained model names its run), oldest first. */
export async function versionsOfRun(db: Db, runId: string): Promise<VersionRow[]> {
  return db.select().from(versions).where(eq(versions.trainingRunId, runId)).orderBy(asc(versions.number));
}

/** Training pairs synthesis built (runCounts' pairs_built), without the run's other counters. */
export async function countBuiltTrainPairs(db: Db, runId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(trainingPairs)
    .where(and(eq(trainingPairs.runId, runId), eq(trainingPairs.split, "train"), eq(trainingPairs.status, "built")));
  return Number(row?.n ?? 0);
}

/** What choosing demonstrations needs of an iteration's SFT examples, by example id; no texts. */
export async function sftExampleLabels(
  db: Db,
  runId: string,
  iteration: number,
): Promise<Array<{ exampleId: string; pairId: string; label: "A" | "B"; category: string | null }>> {
  return db
    .select({ exampleId: trainingExamples.id, pairId: trainingExamples.pairId, label: trainingExamples.label, category: trainingPairs.category })
    .from(trainingExamples)
    .innerJoin(trainingPairs, eq(trainingPairs.id, trainingExamples.pairId))
    .where(and(eq(trainingExamples.runId, runId), eq(trainingExamples.iteration, iteration), eq(trainingExamples.kind, "sft")))
    .orderBy(asc(trainingExamples.id));
}

/** The picked examples with their pairs' texts. */
export async function examplesWithPairs(
  db: Db,
  ids: string[],
): Promise<Array<{ id: string; order: "ab" | "ba"; chosenJudgment: string; instruction: string; chosen: string; rejected: string }>> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: trainingExamples.id,
      order: trainingExamples.order,
      chosenJudgment: trainingExamples.chosenJudgment,
      instruction: trainingPairs.instruction,
      chosen: trainingPairs.chosen,
      rejected: trainingPairs.rejected,
    })
    .from(trainingExamples)
    .innerJoin(trainingPairs, eq(trainingPairs.id, trainingExamples.pairId))
    .where(inArray(trainingExamples.id, ids));
  return rows.map((r) => ({ ...r, chosen: r.chosen ?? "", rejected: r.rejected ?? "" }));
}

/** The database's clock, for timestamps compared with rows' defaultNow() values. */
export async function dbNow(db: Db): Promise<Date> {
  const [row] = await rawRows<{ now: string | Date }>(db, sql`select now() as now`);
  return new Date(row!.now);
}
