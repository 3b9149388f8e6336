import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../lib/errors";

export const HealthSchema = z
  .object({ status: z.literal("ok"), database: z.enum(["pglite", "postgres"]), time: z.string() })
  .openapi("Health");

export const healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["ops"],
  summary: "Liveness and database check",
  security: [],
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: HealthSchema } } },
    ...errorResponses(503),
  },
});
