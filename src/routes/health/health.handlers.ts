import type { RouteHandler } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../../app-types";
import { rawRows } from "../../db/client";
import { ApiError } from "../../lib/errors";
import type { healthz } from "./health.routes";

export const healthzHandler: RouteHandler<typeof healthz, AppEnv> = async (c) => {
  const { database, clock } = c.var.deps;
  try {
    await rawRows(database.db, sql`select 1 as ok`);
  } catch (err) {
    throw new ApiError("service_unavailable", `database check failed: ${(err as Error).message}`);
  }
  return c.json({ status: "ok" as const, database: database.kind, time: clock.now().toISOString() }, 200);
};
