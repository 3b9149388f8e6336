import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../client";
import { idempotencyKeys, type IdempotencyRow } from "../schema";

/** Claims `key` for a new request; false when a row already holds it. */
export async function claimIdempotencyKey(db: Db, p: { key: string; requestHash: string; now: Date }): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({ key: p.key, requestHash: p.requestHash, createdAt: p.now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function findIdempotencyKey(db: Db, key: string): Promise<IdempotencyRow | undefined> {
  const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).limit(1);
  return row;
}

export async function completeIdempotencyKey(db: Db, p: { key: string; status: number; body: string; contentType: string | null }) {
  await db
    .update(idempotencyKeys)
    .set({ status: p.status, body: p.body, contentType: p.contentType })
    .where(eq(idempotencyKeys.key, p.key));
}

export async function releaseIdempotencyKey(db: Db, key: string) {
  await db.delete(idempotencyKeys).where(eq(idempotencyKeys.key, key));
}

/** Deletes a row that expired (`before` its TTL), or that was abandoned in flight before `staleBefore`. */
export async function deleteIfStale(db: Db, p: { key: string; before: Date; staleBefore: Date }) {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.key, p.key),
        or(lt(idempotencyKeys.createdAt, p.before), and(isNull(idempotencyKeys.status), lt(idempotencyKeys.createdAt, p.staleBefore))),
      ),
    );
}

export async function deleteExpiredIdempotencyKeys(db: Db, before: Date) {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
}
