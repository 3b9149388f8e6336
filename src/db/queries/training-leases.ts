import { and, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { trainingRuns } from "../schema";

// Issue 14: the lease watch's and the sweeper's view of training runs. acquire/renew/release stay
// in training.ts next to the runner's other writes. Expiry is judged by the database clock.

/**
 * Clears the lapsed leases of queued/running runs and returns those runs. One UPDATE, so among
 * instances looking at the same moment exactly one claims each lapsed lease; the dead holder, if
 * it comes back, can no longer write (its writes are conditioned on owning the lease).
 */
export async function claimLapsedRuns(db: Db): Promise<string[]> {
  const rows = await db
    .update(trainingRuns)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(inArray(trainingRuns.status, ["queued", "running"]), isNotNull(trainingRuns.leaseUntil), sql`${trainingRuns.leaseUntil} < now()`))
    .returning({ id: trainingRuns.id });
  return rows.map((r) => r.id);
}

/** Queued/running runs nobody holds (no lease, or a lapsed one). */
export async function unleasedRunIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: trainingRuns.id })
    .from(trainingRuns)
    .where(and(inArray(trainingRuns.status, ["queued", "running"]), sql`(${trainingRuns.leaseUntil} is null or ${trainingRuns.leaseUntil} < now())`));
  return rows.map((r) => r.id);
}
