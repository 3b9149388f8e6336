import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { evaluations } from "../schema";

// Issue 14: leases of standalone evaluations (one a training run started is worked under its
// run's lease and never has one of its own). Expiry is judged by the database clock.

const standalone = isNull(evaluations.trainingRunId);
const open = inArray(evaluations.status, ["queued", "running"]);

/** Takes the evaluation for `owner` unless someone else holds a live lease; false when not taken. */
export async function acquireEvaluationLease(db: Db, id: string, owner: string, ms: number): Promise<boolean> {
  const rows = await db
    .update(evaluations)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${ms / 1000})` })
    .where(
      and(
        eq(evaluations.id, id),
        open,
        sql`(${evaluations.leaseUntil} is null or ${evaluations.leaseUntil} < now() or ${evaluations.leaseOwner} = ${owner})`,
      ),
    )
    .returning({ id: evaluations.id });
  return rows.length > 0;
}

/** Extends the lease; false when `owner` no longer holds it (taken over, or the evaluation ended). */
export async function renewEvaluationLease(db: Db, id: string, owner: string, ms: number): Promise<boolean> {
  const rows = await db
    .update(evaluations)
    .set({ leaseUntil: sql`now() + make_interval(secs => ${ms / 1000})` })
    .where(and(eq(evaluations.id, id), eq(evaluations.leaseOwner, owner)))
    .returning({ id: evaluations.id });
  return rows.length > 0;
}

export async function releaseEvaluationLease(db: Db, id: string, owner: string): Promise<void> {
  await db
    .update(evaluations)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(evaluations.id, id), eq(evaluations.leaseOwner, owner)));
}

/** As claimLapsedRuns: clears lapsed leases of open standalone evaluations, each claimed by one caller. */
export async function claimLapsedEvaluations(db: Db): Promise<string[]> {
  const rows = await db
    .update(evaluations)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(open, standalone, isNotNull(evaluations.leaseUntil), sql`${evaluations.leaseUntil} < now()`))
    .returning({ id: evaluations.id });
  return rows.map((r) => r.id);
}

/** Open standalone evaluations nobody holds (no lease, or a lapsed one). */
export async function unleasedEvaluationIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: evaluations.id })
    .from(evaluations)
    .where(and(open, standalone, sql`(${evaluations.leaseUntil} is null or ${evaluations.leaseUntil} < now())`));
  return rows.map((r) => r.id);
}

/** Only safe where one process owns the database (PGlite's data-folder lock guarantees it). */
export async function clearEvaluationLeases(db: Db): Promise<void> {
  await db.update(evaluations).set({ leaseOwner: null, leaseUntil: null }).where(isNotNull(evaluations.leaseOwner));
}
