import { createRouter } from "../../lib/router";
import { createEvaluatorHandler, listEvaluatorsHandler } from "./evaluators.handlers";
import { createEvaluator, listEvaluators } from "./evaluators.routes";

export const evaluatorsRouter = createRouter()
  .openapi(createEvaluator, createEvaluatorHandler)
  .openapi(listEvaluators, listEvaluatorsHandler);
