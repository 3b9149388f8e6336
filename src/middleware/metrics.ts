import type { Handler } from "hono";
import type { AppEnv } from "../app-types";
import { ApiError } from "../lib/errors";

/** GET /metrics: Prometheus text format (admin-only here; unauthenticated on METRICS_PORT). */
export const metricsHandler: Handler<AppEnv> = async (c) => {
  const metrics = c.var.deps.metrics;
  if (!metrics) throw new ApiError("not_found", "metrics are not collected on this runtime");
  const { contentType, body } = await metrics.render();
  return c.body(body, 200, { "content-type": contentType });
};
