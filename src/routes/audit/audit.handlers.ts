import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import { listAuditEvents } from "../../versions";
import type { listAudit } from "./audit.routes";
import { presentAuditEvent } from "./audit.present";

export const listAuditHandler: RouteHandler<typeof listAudit, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const page = await listAuditEvents(c.var.deps, {
    evaluator: q.evaluator,
    ...(q.action ? { action: q.action } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    page: { limit: q.limit, ...afterCursor(q.cursor) },
  });
  return c.json({ data: page.rows.map(presentAuditEvent), next_cursor: nextCursor(page.next) }, 200);
};
