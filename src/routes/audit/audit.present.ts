import type { AuditEventWithNames } from "../../db/queries/audit";

// Pure: rows in, response bodies out (no database access).

export function presentAuditEvent(e: AuditEventWithNames) {
  return {
    id: e.id,
    evaluator: e.evaluatorName,
    action: e.action,
    from: e.fromVersionId && e.fromName ? { id: e.fromVersionId, name: e.fromName } : null,
    to: e.toVersionId && e.toName ? { id: e.toVersionId, name: e.toName } : null,
    actor: e.actor,
    reason: e.reason,
    details: e.details ?? null,
    created_at: e.createdAt.toISOString(),
  };
}
