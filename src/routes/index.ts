import type { Hono } from "hono";
import type { AppEnv } from "../app-types";
import type { AppRouter } from "../lib/router";
import { auditRouter } from "./audit/audit.index";
import { datasetsRouter } from "./datasets/datasets.index";
import { evaluationsRouter } from "./evaluations/evaluations.index";
import { evaluatorsRouter } from "./evaluators/evaluators.index";
import { feedbackRouter } from "./feedback/feedback.index";
import { healthRouter } from "./health/health.index";
import { heldoutRouter } from "./heldout/heldout.index";
import { judgeRouter } from "./judge/judge.index";
import { judgmentsRouter } from "./judgments/judgments.index";
import { keysRouter } from "./keys/keys.index";
import { trafficRouter } from "./traffic/traffic.index";
import { trainingRouter } from "./training/training.index";
import { versionsRouter } from "./versions/versions.index";

// Each resource lives in its own folder; this is the one list of what the API serves. The typed
// client (src/client) derives its types from this list, so add a router here (one line) and
// the client knows its routes.
export const ROUTERS = [
  healthRouter,
  evaluatorsRouter,
  keysRouter,
  judgeRouter,
  judgmentsRouter,
  versionsRouter,
  heldoutRouter,
  feedbackRouter,
  evaluationsRouter,
  auditRouter,
  trafficRouter,
  trainingRouter,
  datasetsRouter,
] as const;

export function registerRoutes(api: AppRouter): void {
  for (const router of ROUTERS) api.route("/", router);
}

type SchemaOf<R> = R extends Hono<any, infer S, any> ? S : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The schema of every route the API serves: what `hc<ApiType>` (src/client) is typed by. */
export type ApiSchema = Intersect<SchemaOf<(typeof ROUTERS)[number]>>;
export type ApiType = Hono<AppEnv, ApiSchema, "/">;
