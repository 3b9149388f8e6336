import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import { auditEvents, evaluators, versions } from "../schema";

export type AuditRow = typeof auditEvents.$inferSelect;

/** Actions that move the active version; their from/to chain is unbroken per evaluator. */
export const ACTIVATION_ACTIONS = ["activate", "rollback", "promote"] as const;
export type ActivationAction = (typeof ACTIVATION_ACTIONS)[number];
export type AuditAction = ActivationAction | "register" | "reject" | "promote_skipped";

export type NewAuditEvent = {
  evaluatorId: string;
  action: AuditAction;
  fromVersionId?: string | null;
  toVersionId?: string | null;
  actor: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
};

/**
 * created_at is clock_timestamp(), not now(): now() is the transaction's start, and two
 * activations that queued on the evaluator lock would otherwise be stamped in the order they
 * started rather than the order they happened, breaking the from/to chain's ordering.
 */
export async function insertAuditEvent(db: Db, e: NewAuditEvent): Promise<AuditRow> {
  const [row] = await db
    .insert(auditEvents)
    .values({
      evaluatorId: e.evaluatorId,
      action: e.action,
      fromVersionId: e.fromVersionId ?? null,
      toVersionId: e.toVersionId ?? null,
      actor: e.actor,
      reason: e.reason ?? null,
      details: e.details ?? null,
      createdAt: sql`clock_timestamp()`,
    })
    .returning();
  return row!;
}

/** Activation events of an evaluator, oldest first: the history rollback replays. */
export async function listActivationEvents(db: Db, evaluatorId: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.evaluatorId, evaluatorId), inArray(auditEvents.action, [...ACTIVATION_ACTIONS])))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id));
}

export type AuditCursor = { ts: string; id: string };

export type AuditEventWithNames = AuditRow & {
  evaluatorName: string | null;
  fromName: string | null;
  toName: string | null;
};

const fromV = alias(versions, "from_v");
const toV = alias(versions, "to_v");
const preciseTs = sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Newest first, keyset-paged on (created_at, id). */
export async function listAuditEvents(
  db: Db,
  f: { evaluatorId: string; action?: string; actor?: string },
  page: { limit: number; after?: AuditCursor },
): Promise<{ rows: AuditEventWithNames[]; next: AuditCursor | null }> {
  const where: SQL[] = [eq(auditEvents.evaluatorId, f.evaluatorId)];
  if (f.action) where.push(eq(auditEvents.action, f.action));
  if (f.actor) where.push(eq(auditEvents.actor, f.actor));
  if (page.after) {
    where.push(sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${page.after.ts}::timestamptz, ${page.after.id}::uuid)`);
  }
  const rows = await db
    .select({
      event: auditEvents,
      evaluatorName: evaluators.name,
      fromName: fromV.name,
      toName: toV.name,
      cursorTs: preciseTs,
    })
    .from(auditEvents)
    .leftJoin(evaluators, eq(evaluators.id, auditEvents.evaluatorId))
    .leftJoin(fromV, eq(fromV.id, auditEvents.fromVersionId))
    .leftJoin(toV, eq(toV.id, auditEvents.toVersionId))
    .where(and(...where))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows.map((r) => ({ ...r.event, evaluatorName: r.evaluatorName, fromName: r.fromName, toName: r.toName })),
    next: rows.length > page.limit && last ? { ts: last.cursorTs, id: last.event.id } : null,
  };
}
