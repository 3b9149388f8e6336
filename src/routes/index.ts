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

// Each resource lives in its own folder; this is the one list of what the API serves.
export function registerRoutes(api: AppRouter): void {
  api.route("/", healthRouter);
  api.route("/", evaluatorsRouter);
  api.route("/", keysRouter);
  api.route("/", judgeRouter);
  api.route("/", judgmentsRouter);
  api.route("/", versionsRouter);
  api.route("/", heldoutRouter);
  api.route("/", feedbackRouter);
  api.route("/", evaluationsRouter);
  api.route("/", auditRouter);
  api.route("/", trafficRouter);
  api.route("/", trainingRouter);
  api.route("/", datasetsRouter);
}
