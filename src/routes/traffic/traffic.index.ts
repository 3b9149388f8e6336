import { createRouter } from "../../lib/router";
import { ingestTrafficHandler, trafficStatsHandler } from "./traffic.handlers";
import { ingestTraffic, trafficStats } from "./traffic.routes";

export const trafficRouter = createRouter().openapi(ingestTraffic, ingestTrafficHandler).openapi(trafficStats, trafficStatsHandler);
