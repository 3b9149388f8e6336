import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { listAuditEvents, type AuditEventWithNames } from "../../db/queries/audit";
import { resolveEvaluator } from "../../evaluators/lookup";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import type { listAudit } from "./audit.routes";

function present(e: AuditEventWithNames) {
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

export const listAuditHandler: RouteHandler<typeof listAudit, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  const page = await listAuditEvents(
    db,
    { evaluatorId: evaluator.id, ...(q.action ? { action: q.action } : {}), ...(q.actor ? { actor: q.actor } : {}) },
    { limit: q.limit, ...afterCursor(q.cursor) },
  );
  return c.json({ data: page.rows.map(present), next_cursor: nextCursor(page.next) }, 200);
};
