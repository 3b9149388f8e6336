import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { pingDatabase } from "../../db/client";
import { ApiError } from "../../lib/errors";
import type { healthz } from "./health.routes";
import { presentHealth } from "./health.present";

export const healthzHandler: RouteHandler<typeof healthz, AppEnv> = async (c) => {
  const { database, clock } = c.var.deps;
  try {
    await pingDatabase(database.db);
  } catch (err) {
    throw new ApiError("service_unavailable", `database check failed: ${(err as Error).message}`);
  }
  return c.json(presentHealth(database.kind, clock.now()), 200);
};
