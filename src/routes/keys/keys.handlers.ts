import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { createKey as createKeyFn, listKeys as listKeysFn, revokeKey as revokeKeyFn } from "../../keys";
import type { createKey, listKeys, revokeKey } from "./keys.routes";
import { presentKey } from "./keys.present";

export const createKeyHandler: RouteHandler<typeof createKey, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const { key, secret } = await createKeyFn(c.var.deps, {
    name: body.name,
    scope: body.scope,
    ...(body.evaluators !== undefined ? { evaluators: body.evaluators } : {}),
    rateLimitRpm: body.rate_limit_rpm ?? null,
    tokenBudgetPerDay: body.token_budget_per_day ?? null,
  });
  return c.json({ ...presentKey(key), secret }, 201);
};

export const listKeysHandler: RouteHandler<typeof listKeys, AppEnv> = async (c) => {
  const rows = await listKeysFn(c.var.deps);
  return c.json({ data: rows.map(presentKey) }, 200);
};

export const revokeKeyHandler: RouteHandler<typeof revokeKey, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(presentKey(await revokeKeyFn(c.var.deps, id)), 200);
};
