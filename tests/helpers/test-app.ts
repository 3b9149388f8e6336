import { createApp } from "../../src/app";
import type { AppDeps } from "../../src/deps";
import { parseConfig } from "../../src/config";
import { ensureDefaultEvaluator } from "../../src/evaluators/bootstrap";
import type { Database } from "../../src/db/client";
import { createPgBossQueue } from "../../src/jobs/pg-boss";
import { nodeUiAssets } from "../../src/runtime/node-assets";
import { startWorkers } from "../../src/runtime/workers";
import { systemClock, type Clock } from "../../src/lib/clock";
import { silentLogger, type Logger } from "../../src/lib/logger";
import { createOpenAiLlmClient } from "../../src/llm/openai-client";
import { addJudgeStats } from "../../src/db/queries/judge-stats";
import { createJudgeStatsRecorder } from "../../src/judging/stats-recorder";
import { createTestDatabase } from "./test-db";
import { trainingProgressSummary } from "../../src/db/queries/metrics";
import { instrumentJobs, instrumentLlm } from "../../src/metrics/instrument";
import { createPrometheusMetrics } from "../../src/metrics/prometheus";

export type TestAppOptions = {
  /** Base URL of the fake LLM (ends in /v1). */
  llmUrl?: string;
  env?: Record<string, string>;
  clock?: Clock;
  /** Start pg-boss and the background workers (evaluations, training). */
  jobs?: boolean;
  database?: Database;
  /** Record Prometheus metrics (GET /metrics), wired as the Node runtime does. */
  metrics?: boolean;
  /** Where the app logs (default: nowhere); a test reading log lines passes its own. */
  logger?: Logger;
};

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The real app on a real (test) database and the real LLM client pointed at the fake server. */
export async function createTestApp(opts: TestAppOptions = {}) {
  const config = parseConfig({
    OPENAI_BASE_URL: opts.llmUrl ?? "http://127.0.0.1:9/v1",
    OPENAI_API_KEY: "test-key",
    JUDGE_MODEL: "fake-judge",
    LLM_TIMEOUT_MS: "2000",
    LLM_MAX_RETRIES: "2",
    LLM_RATE_LIMIT_RETRIES: "2",
    LOG_LEVEL: "silent",
    ...opts.env,
  });
  const database = opts.database ?? (await createTestDatabase());
  const clock = opts.clock ?? systemClock;
  await ensureDefaultEvaluator(database.db, config, clock.now());
  const logger = opts.logger ?? silentLogger;
  const rawJobs = opts.jobs ? await createPgBossQueue(database, logger) : undefined;
  const metrics = opts.metrics
    ? createPrometheusMetrics({
        ...(rawJobs?.depth ? { queueDepth: () => rawJobs.depth!() } : {}),
        trainingProgress: () => trainingProgressSummary(database.db),
      })
    : undefined;
  const baseLlm = createOpenAiLlmClient({ ...config.llm, ...(opts.logger ? { logger } : {}) });
  const llm = metrics ? instrumentLlm(baseLlm, metrics) : baseLlm;
  const jobs = rawJobs && metrics ? instrumentJobs(rawJobs, metrics) : rawJobs;
  // No timer: tests read the stats through the console (which flushes first) or flush themselves.
  const judgeStats = createJudgeStatsRecorder({ write: (rows) => addJudgeStats(database.db, rows), logger });
  const deps: AppDeps = { config, database, llm, clock, logger, judgeStats, jobs, uiAssets: nodeUiAssets(), ...(metrics ? { metrics } : {}) };
  await startWorkers(deps);
  const app = createApp(deps);
  return {
    app,
    deps,
    config,
    database,
    /** JSON request helper over app.request. */
    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await app.request(path, {
        method,
        headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json: any = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    },
    async close() {
      await jobs?.stop();
      await judgeStats.close();
      if (!opts.database) await database.close();
    },
  };
}
