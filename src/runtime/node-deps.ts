import type { AppDeps } from "../deps";
import type { Config } from "../config";
import { ensureDefaultEvaluator } from "../evaluators/bootstrap";
import { openDatabase } from "../db/client";
import { runMigrations } from "../db/migrate";
import { createPgBossQueue } from "../jobs/pg-boss";
import { nodeUiAssets } from "./node-assets";
import { startWorkers } from "./workers";
import { systemClock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { createOpenAiLlmClient } from "../llm/openai-client";
import { addJudgeStats } from "../db/queries/judge-stats";
import { createJudgeStatsRecorder } from "../judging/stats-recorder";
import { describeDbError, errorForLog } from "../db/errors";
import { trainingProgressSummary } from "../db/queries/metrics";
import { instrumentJobs, instrumentLlm } from "../metrics/instrument";
import { createPrometheusMetrics } from "../metrics/prometheus";

/** Production wiring for Node: real database, migrations, seed evaluator, LLM, job runner. */
export async function createNodeDeps(config: Config, logger: Logger): Promise<{ deps: AppDeps; close(): Promise<void> }> {
  const database = await openDatabase(config);
  try {
    await runMigrations(database);
    await ensureDefaultEvaluator(database.db, config, systemClock.now());
  } catch (err) {
    await database.close();
    throw err;
  }
  const rawJobs = config.jobsEnabled ? await createPgBossQueue(database, logger) : undefined;
  const metrics = createPrometheusMetrics({
    ...(rawJobs?.depth ? { queueDepth: () => rawJobs.depth!() } : {}),
    trainingProgress: () => trainingProgressSummary(database.db),
    onError: (err) => logger.warn({ err: describeDbError(err) }, "metrics collection failed"),
  });
  const llm = instrumentLlm(createOpenAiLlmClient({ ...config.llm, logger }), metrics);
  const jobs = rawJobs ? instrumentJobs(rawJobs, metrics) : undefined;
  const judgeStats = createJudgeStatsRecorder({ write: (rows) => addJudgeStats(database.db, rows), logger });
  // A long-lived process: the daily counts go out once per period, whatever the traffic.
  const statsTimer = setInterval(() => void judgeStats.flush(), config.statsFlushMs);
  statsTimer.unref();
  const deps: AppDeps = { config, database, llm, clock: systemClock, logger, judgeStats, jobs, metrics, uiAssets: nodeUiAssets() };
  await startWorkers(deps);
  return {
    deps,
    async close() {
      clearInterval(statsTimer);
      await jobs?.stop().catch((err) => logger.error({ err: errorForLog(err) }, "job queue stop failed"));
      // After the HTTP server and the job runner stopped (nothing records any more), before the
      // database closes: the last counts are written, not lost.
      await judgeStats.close();
      await database.close();
    },
  };
}
