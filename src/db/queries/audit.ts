import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import type { PageCursor } from "../../lib/page-cursor";
import { keyset, takePage } from "./keyset";
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

export type AuditEventWithNames = AuditRow & {
  evaluatorName: string | null;
  fromName: string | null;
  toName: string | null;
};

const fromV = alias(versions, "from_v");
const toV = alias(versions, "to_v");
const paging = keyset(auditEvents.createdAt, auditEvents.id);

/** Newest first, keyset-paged on (created_at, id). */
export async function listAuditEvents(
  db: Db,
  f: { evaluatorId: string; action?: string; actor?: string },
  page: { limit: number; after?: PageCursor },
): Promise<{ rows: AuditEventWithNames[]; next: PageCursor | null }> {
  const where: Array<SQL | undefined> = [eq(auditEvents.evaluatorId, f.evaluatorId), paging.after(page.after)];
  if (f.action) where.push(eq(auditEvents.action, f.action));
  if (f.actor) where.push(eq(auditEvents.actor, f.actor));
  const rows = await db
    .select({
      event: auditEvents,
      evaluatorName: evaluators.name,
      fromName: fromV.name,
      toName: toV.name,
      cursorTs: paging.cursorTs,
    })
    .from(auditEvents)
    .leftJoin(evaluators, eq(evaluators.id, auditEvents.evaluatorId))
    .leftJoin(fromV, eq(fromV.id, auditEvents.fromVersionId))
    .leftJoin(toV, eq(toV.id, auditEvents.toVersionId))
    .where(and(...where))
    .orderBy(...paging.orderBy)
    .limit(page.limit + 1);
  const { page: pageRows, next } = takePage(rows, page.limit, (r) => ({ ts: r.cursorTs, id: r.event.id }));
  return {
    rows: pageRows.map((r) => ({ ...r.event, evaluatorName: r.evaluatorName, fromName: r.fromName, toName: r.toName })),
    next,
  };
}
