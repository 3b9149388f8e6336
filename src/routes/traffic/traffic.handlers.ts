import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { ingestTraffic, poolStats } from "../../training";
import type { ingestTraffic as ingestTrafficRoute, trafficStats } from "./traffic.routes";
import { presentTrafficStats } from "./traffic.present";

export const ingestTrafficHandler: RouteHandler<typeof ingestTrafficRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  return c.json(await ingestTraffic(c.var.deps, { evaluator: body.evaluator, items: body.items }), 200);
};

export const trafficStatsHandler: RouteHandler<typeof trafficStats, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const { evaluator, rows } = await poolStats(c.var.deps, { evaluator: q.evaluator });
  return c.json(presentTrafficStats(evaluator, rows), 200);
};
