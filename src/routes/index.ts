import type { AppRouter } from "../lib/router";
import { evaluatorsRouter } from "./evaluators/evaluators.index";
import { healthRouter } from "./health/health.index";
import { keysRouter } from "./keys/keys.index";

// Each resource lives in its own folder; this is the one list of what the API serves.
export function registerRoutes(api: AppRouter): void {
  api.route("/", healthRouter);
  api.route("/", evaluatorsRouter);
  api.route("/", keysRouter);
}
