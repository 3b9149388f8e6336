import { createRouter } from "../../lib/router";
import { healthzHandler } from "./health.handlers";
import { healthz } from "./health.routes";

export const healthRouter = createRouter().openapi(healthz, healthzHandler);
