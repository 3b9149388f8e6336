import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { getEvaluationWithNames, listEvaluations } from "../../db/queries/evaluations";
import { createEvaluation } from "../../evaluation/create";
import { cancelEvaluation, enqueueEvaluation } from "../../evaluation/worker";
import { ApiError } from "../../lib/errors";
import { requireVersion, resolveEvaluator } from "../../evaluators/lookup";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import type {
  cancelEvaluationRoute,
  createEvaluationRoute,
  getEvaluationRoute,
  listEvaluationsRoute,
} from "./evaluations.routes";
import { presentEvaluation } from "./evaluations.schemas";

export const createEvaluationHandler: RouteHandler<typeof createEvaluationRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const deps = c.var.deps;
  // Refuse before storing anything: an evaluation nobody will run would sit queued forever.
  if (!deps.jobs) throw new ApiError("service_unavailable", "background jobs are disabled on this instance (JOBS_ENABLED=false)");
  const evaluator = await resolveEvaluator(deps.database.db, body.evaluator);
  const row = await createEvaluation(deps, {
    evaluatorId: evaluator.id,
    version: body.version,
    ...(body.against !== undefined ? { against: body.against } : {}),
    ...(body.filter ? { filter: body.filter } : {}),
    ...(body.samples !== undefined ? { samples: body.samples } : {}),
    ...(body.swap !== undefined ? { swap: body.swap } : {}),
    ...(body.promote !== undefined ? { promote: body.promote } : {}),
    ...(body.gate ? { gate: body.gate } : {}),
    actor: c.var.auth.actor,
  });
  await enqueueEvaluation(deps, row.id);
  const shown = (await getEvaluationWithNames(deps.database.db, row.id))!;
  return c.json(presentEvaluation(shown), 202);
};

export const listEvaluationsHandler: RouteHandler<typeof listEvaluationsRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  const versionId = q.version ? (await requireVersion(db, evaluator, q.version)).id : undefined;
  const page = await listEvaluations(
    db,
    { evaluatorId: evaluator.id, ...(q.status ? { status: q.status } : {}), ...(versionId ? { versionId } : {}) },
    { limit: q.limit, ...afterCursor(q.cursor) },
  );
  return c.json({ data: page.rows.map(presentEvaluation), next_cursor: nextCursor(page.next) }, 200);
};

export const getEvaluationHandler: RouteHandler<typeof getEvaluationRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await getEvaluationWithNames(c.var.deps.database.db, id);
  if (!row) throw new ApiError("not_found", `no evaluation ${id}`);
  return c.json(presentEvaluation(row), 200);
};

export const cancelEvaluationHandler: RouteHandler<typeof cancelEvaluationRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  await cancelEvaluation(c.var.deps, id);
  const row = (await getEvaluationWithNames(c.var.deps.database.db, id))!;
  return c.json(presentEvaluation(row), 200);
};
