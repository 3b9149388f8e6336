import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { createEvaluator as insertEvaluator, EvaluatorExistsError } from "../../evaluators/bootstrap";
import type { Db } from "../../db/client";
import { listEvaluators as listRows, type EvaluatorRow } from "../../db/queries/evaluators";
import { getActiveVersion } from "../../db/queries/versions";
import { ApiError } from "../../lib/errors";
import type { createEvaluator, listEvaluators } from "./evaluators.routes";

async function present(db: Db, e: EvaluatorRow) {
  const active = await getActiveVersion(db, e.id);
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    criteria: e.criteria,
    seed_model: e.seedModel,
    active_version: active ? { id: active.id, name: active.name, model: active.model } : null,
    created_at: e.createdAt.toISOString(),
  };
}

export const createEvaluatorHandler: RouteHandler<typeof createEvaluator, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const { database, config, clock } = c.var.deps;
  try {
    const row = await insertEvaluator(
      database.db,
      {
        name: body.name,
        description: body.description,
        criteria: body.criteria,
        seedModel: body.seed_model ?? config.judgeModel,
        baseUrl: body.base_url ?? null,
      },
      clock.now(),
    );
    return c.json(await present(database.db, row), 201);
  } catch (err) {
    if (err instanceof EvaluatorExistsError) throw new ApiError("conflict", err.message);
    throw err;
  }
};

export const listEvaluatorsHandler: RouteHandler<typeof listEvaluators, AppEnv> = async (c) => {
  const db = c.var.deps.database.db;
  const rows = await listRows(db);
  return c.json({ data: await Promise.all(rows.map((r) => present(db, r))) }, 200);
};
