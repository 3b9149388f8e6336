import { createRouter } from "../../lib/router";
import { cancelRunHandler, getRunHandler, listRunsHandler, runDatasetHandler, startRunHandler } from "./training.handlers";
import { cancelRun, getRun, listRuns, runDataset, startRun } from "./training.routes";

export const trainingRouter = createRouter()
  .openapi(startRun, startRunHandler)
  .openapi(listRuns, listRunsHandler)
  .openapi(getRun, getRunHandler)
  .openapi(cancelRun, cancelRunHandler)
  .openapi(runDataset, runDatasetHandler);
