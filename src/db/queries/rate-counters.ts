import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rateCounters } from "../schema";

/** Adds `amount` to a fixed-window counter (created on first use) and returns the new total: one statement. */
export async function addToCounter(db: Db, p: { subject: string; window: string; amount: number; expiresAt: Date }): Promise<number> {
  const [row] = await db
    .insert(rateCounters)
    .values({ subject: p.subject, window: p.window, count: p.amount, expiresAt: p.expiresAt })
    .onConflictDoUpdate({
      target: [rateCounters.subject, rateCounters.window],
      set: { count: sql`${rateCounters.count} + ${p.amount}` },
    })
    .returning({ count: rateCounters.count });
  return Number(row?.count ?? p.amount);
}

/** The current value of a counter (0 when it does not exist). */
export async function readCounter(db: Db, p: { subject: string; window: string }): Promise<number> {
  const [row] = await db
    .select({ count: rateCounters.count })
    .from(rateCounters)
    .where(and(eq(rateCounters.subject, p.subject), eq(rateCounters.window, p.window)))
    .limit(1);
  return Number(row?.count ?? 0);
}

/** Drops counters of windows that have ended. */
export async function deleteExpiredCounters(db: Db, now: Date): Promise<void> {
  await db.delete(rateCounters).where(lt(rateCounters.expiresAt, now));
}
