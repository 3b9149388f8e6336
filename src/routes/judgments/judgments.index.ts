import { createRouter } from "../../lib/router";
import { getJudgmentHandler, listJudgmentsHandler } from "./judgments.handlers";
import { getJudgment, listJudgments } from "./judgments.routes";

export const judgmentsRouter = createRouter()
  .openapi(listJudgments, listJudgmentsHandler)
  .openapi(getJudgment, getJudgmentHandler);
