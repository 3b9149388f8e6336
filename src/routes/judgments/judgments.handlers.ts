import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { getJudgment as getJudgmentFn, listJudgments as listJudgmentsFn } from "../../judging";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import type { getJudgment, listJudgments } from "./judgments.routes";
import { presentJudgment, presentJudgmentSummary } from "./judgments.present";

export const getJudgmentHandler: RouteHandler<typeof getJudgment, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(presentJudgment(await getJudgmentFn(c.var.deps, id, c.var.auth.evaluatorIds)), 200);
};

export const listJudgmentsHandler: RouteHandler<typeof listJudgments, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const page = await listJudgmentsFn(c.var.deps, {
    evaluator: q.evaluator,
    scope: c.var.auth.evaluatorIds,
    ...(q.version !== undefined ? { version: q.version } : {}),
    filter: {
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      ...(q.verdict ? { verdict: q.verdict } : {}),
      ...(q.status ? { status: q.status } : {}),
    },
    page: { limit: q.limit, ...afterCursor(q.cursor) },
  });
  return c.json(
    { data: page.rows.map(presentJudgmentSummary), next_cursor: nextCursor(page.next) },
    200,
  );
};
