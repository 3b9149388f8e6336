import { createRouter } from "../../lib/router";
import {
  cancelEvaluationHandler,
  createEvaluationHandler,
  getEvaluationHandler,
  listEvaluationsHandler,
} from "./evaluations.handlers";
import { cancelEvaluationRoute, createEvaluationRoute, getEvaluationRoute, listEvaluationsRoute } from "./evaluations.routes";

export const evaluationsRouter = createRouter()
  .openapi(createEvaluationRoute, createEvaluationHandler)
  .openapi(listEvaluationsRoute, listEvaluationsHandler)
  .openapi(getEvaluationRoute, getEvaluationHandler)
  .openapi(cancelEvaluationRoute, cancelEvaluationHandler);
