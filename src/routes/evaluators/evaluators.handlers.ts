import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { createEvaluator as createEvaluatorFn, listEvaluators as listEvaluatorsFn } from "../../evaluators";
import type { createEvaluator, listEvaluators } from "./evaluators.routes";
import { presentEvaluator } from "./evaluators.present";

export const createEvaluatorHandler: RouteHandler<typeof createEvaluator, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const row = await createEvaluatorFn(c.var.deps, {
    name: body.name,
    description: body.description,
    criteria: body.criteria,
    seedModel: body.seed_model,
    baseUrl: body.base_url ?? null,
    apiKeyEnv: body.api_key_env ?? null,
  });
  return c.json(presentEvaluator(row), 201);
};

export const listEvaluatorsHandler: RouteHandler<typeof listEvaluators, AppEnv> = async (c) => {
  const rows = await listEvaluatorsFn(c.var.deps);
  return c.json({ data: rows.map(presentEvaluator) }, 200);
};
