import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { getEvaluation, listEvaluations, startEvaluation, stopEvaluation } from "../../evaluation";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import type {
  cancelEvaluationRoute,
  createEvaluationRoute,
  getEvaluationRoute,
  listEvaluationsRoute,
} from "./evaluations.routes";
import { presentEvaluation } from "./evaluations.present";

export const createEvaluationHandler: RouteHandler<typeof createEvaluationRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const row = await startEvaluation(c.var.deps, {
    evaluator: body.evaluator,
    version: body.version,
    ...(body.against !== undefined ? { against: body.against } : {}),
    ...(body.filter ? { filter: body.filter } : {}),
    ...(body.samples !== undefined ? { samples: body.samples } : {}),
    ...(body.swap !== undefined ? { swap: body.swap } : {}),
    ...(body.promote !== undefined ? { promote: body.promote } : {}),
    ...(body.gate ? { gate: body.gate } : {}),
    ...(body.dataset !== undefined ? { dataset: body.dataset } : {}),
    ...(body.baseline !== undefined ? { baseline: body.baseline } : {}),
    ...(body.limit !== undefined ? { limit: body.limit } : {}),
    ...(body.subsets !== undefined ? { subsets: body.subsets } : {}),
    actor: c.var.auth.actor,
  });
  return c.json(presentEvaluation(row), 202);
};

export const listEvaluationsHandler: RouteHandler<typeof listEvaluationsRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const page = await listEvaluations(c.var.deps, {
    evaluator: q.evaluator,
    ...(q.status ? { status: q.status } : {}),
    ...(q.version ? { version: q.version } : {}),
    page: { limit: q.limit, ...afterCursor(q.cursor) },
  });
  return c.json({ data: page.rows.map(presentEvaluation), next_cursor: nextCursor(page.next) }, 200);
};

export const getEvaluationHandler: RouteHandler<typeof getEvaluationRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(presentEvaluation(await getEvaluation(c.var.deps, id)), 200);
};

export const cancelEvaluationHandler: RouteHandler<typeof cancelEvaluationRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(presentEvaluation(await stopEvaluation(c.var.deps, id)), 200);
};
