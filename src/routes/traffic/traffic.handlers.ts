import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { addToPool } from "../../db/queries/traffic";
import { trafficStats as statsRows } from "../../db/queries/training-pool";
import { resolveEvaluator } from "../../evaluators/lookup";
import type { ingestTraffic, trafficStats } from "./traffic.routes";

export const ingestTrafficHandler: RouteHandler<typeof ingestTraffic, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, body.evaluator);
  const res = await addToPool(db, evaluator.id, "ingest", body.items);
  return c.json({ evaluator: evaluator.name, received: body.items.length, ...res }, 200);
};

export const trafficStatsHandler: RouteHandler<typeof trafficStats, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  const rows = await statsRows(db, evaluator.id);
  const by = (key: (r: (typeof rows)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + r.n;
    return out;
  };
  return c.json(
    {
      evaluator: evaluator.name,
      total: rows.reduce((s, r) => s + r.n, 0),
      by_source: by((r) => r.source),
      by_category: by((r) => r.category ?? "unclassified"),
      by_split: by((r) => r.split ?? "unassigned"),
    },
    200,
  );
};
