import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { getJudgment as getJudgmentRow, listJudgments as listJudgmentRows } from "../../db/queries/judgments";
import { presentJudgment, presentJudgmentSummary } from "./judgments.present";
import { ApiError } from "../../lib/errors";
import { requireVersion, resolveEvaluator } from "../../evaluators/lookup";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import type { getJudgment, listJudgments } from "./judgments.routes";

export const getJudgmentHandler: RouteHandler<typeof getJudgment, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await getJudgmentRow(c.var.deps.database.db, id);
  if (!row) throw new ApiError("not_found", `no judgment ${id}`);
  return c.json(presentJudgment(row), 200);
};

export const listJudgmentsHandler: RouteHandler<typeof listJudgments, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  const versionId = q.version !== undefined ? (await requireVersion(db, evaluator, q.version)).id : undefined;
  const page = await listJudgmentRows(
    db,
    {
      evaluatorId: evaluator.id,
      ...(versionId ? { versionId } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      ...(q.verdict ? { verdict: q.verdict } : {}),
      ...(q.status ? { status: q.status } : {}),
    },
    { limit: q.limit, ...afterCursor(q.cursor) },
  );
  return c.json(
    { data: page.rows.map(presentJudgmentSummary), next_cursor: nextCursor(page.next) },
    200,
  );
};
