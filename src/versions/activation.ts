import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client";
import { insertAuditEvent, listActivationEvents, type ActivationAction, type AuditRow } from "../db/queries/audit";
import {
  getActiveVersion,
  lockEvaluatorForVersionChange,
  setVersionStatus,
  type VersionRow,
} from "../db/queries/versions";
import { versions } from "../db/schema";
import { ApiError } from "../lib/errors";

export type ActivationTarget = { versionId: string } | { rollback: true };

export interface ActivationRequest {
  evaluatorId: string;
  action: ActivationAction;
  target: ActivationTarget;
  /** Who asked: the key id, "admin-env", or null with auth off. */
  actor: string | null;
  reason: string | null;
  details?: Record<string, unknown>;
  /** Refuse with 409 unless this version is still the active one once the lock is held. */
  expectActiveId?: string;
}

export interface ActivationResult {
  from: VersionRow | null;
  to: VersionRow;
  event: AuditRow;
}

type ChainEvent = Pick<AuditRow, "action" | "fromVersionId" | "toVersionId">;

/**
 * Where a rollback goes, replayed from the activation events (oldest first). History is a stack:
 * `activate` and `promote` push the version they activated, `rollback` pops. A rollback therefore
 * undoes the most recent activation not already undone, and repeated rollbacks keep walking back
 * (v3 → v2 → v1) instead of flipping between the last two. To go forward again, activate by name.
 * Returns null when there is nothing earlier, or when the history does not end at the version
 * that is active now (so we never guess).
 */
export function rollbackTarget(events: readonly ChainEvent[], currentActiveId: string | null): string | null {
  const stack: string[] = [];
  for (const e of events) {
    if (stack.length === 0 && e.fromVersionId) stack.push(e.fromVersionId);
    if (!e.toVersionId) continue;
    if (e.action === "rollback") {
      stack.pop();
      if (stack[stack.length - 1] !== e.toVersionId) stack.push(e.toVersionId);
    } else {
      stack.push(e.toVersionId);
    }
  }
  if (stack.length < 2 || stack[stack.length - 1] !== currentActiveId) return null;
  return stack[stack.length - 2] ?? null;
}

/**
 * Changes the active version inside the caller's transaction: lock the evaluator row, demote the
 * active version to `retired`, promote the target, write the audit event. The partial unique
 * index (one active per evaluator) backs this up at the database level. No LLM call may happen
 * while the transaction is open.
 */
export async function changeActiveVersionInTx(tx: Tx, r: ActivationRequest): Promise<ActivationResult> {
  if (!(await lockEvaluatorForVersionChange(tx, r.evaluatorId))) {
    throw new ApiError("not_found", "evaluator does not exist");
  }
  const current = (await getActiveVersion(tx, r.evaluatorId)) ?? null;
  if (r.expectActiveId !== undefined && current?.id !== r.expectActiveId) {
    throw new ApiError("conflict", "the active version changed in the meantime", {
      active_version: current ? { id: current.id, name: current.name } : null,
    });
  }

  let targetId: string;
  if ("rollback" in r.target) {
    const found = rollbackTarget(await listActivationEvents(tx, r.evaluatorId), current?.id ?? null);
    if (!found) {
      throw new ApiError("conflict", "there is no earlier active version to roll back to", {
        active_version: current ? { id: current.id, name: current.name } : null,
      });
    }
    targetId = found;
  } else {
    targetId = r.target.versionId;
  }
  const [target] = await tx
    .select()
    .from(versions)
    .where(and(eq(versions.id, targetId), eq(versions.evaluatorId, r.evaluatorId)))
    .limit(1);
  if (!target) throw new ApiError("not_found", `version ${targetId} does not exist`);
  if (current && current.id === target.id) {
    throw new ApiError("conflict", `${target.name} is already the active version`, {
      active_version: { id: current.id, name: current.name },
    });
  }

  if (current) await setVersionStatus(tx, current.id, "retired");
  const to = (await setVersionStatus(tx, target.id, "active", { activatedAt: sql`clock_timestamp()` }))!;
  const event = await insertAuditEvent(tx, {
    evaluatorId: r.evaluatorId,
    action: r.action,
    fromVersionId: current?.id ?? null,
    toVersionId: to.id,
    actor: r.actor,
    reason: r.reason,
    details: {
      from: current ? current.name : null,
      to: to.name,
      // An admin may activate a version the gate rejected; the trail says so.
      previous_status: target.status,
      ...r.details,
    },
  });
  const from = current ? { ...current, status: "retired" as const } : null;
  return { from, to, event };
}

/** changeActiveVersionInTx in its own short transaction. */
export async function changeActiveVersion(db: Db, r: ActivationRequest): Promise<ActivationResult> {
  return db.transaction((tx) => changeActiveVersionInTx(tx, r));
}
