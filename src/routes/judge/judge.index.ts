import { createRouter } from "../../lib/router";
import { judgeBatchHandler, judgeHandler } from "./judge.handlers";
import { judge, judgeBatch } from "./judge.routes";

export const judgeRouter = createRouter().openapi(judge, judgeHandler).openapi(judgeBatch, judgeBatchHandler);
