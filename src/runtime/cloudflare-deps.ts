import type { Config } from "../config";
import { ConfigError, parseConfig } from "../config";
import type { AppDeps } from "../deps";
import { openPostgres } from "../db/client";
import { EVALUATION_QUEUE } from "../evaluation/worker";
import { systemClock } from "../lib/clock";
import { consoleLogger, silentLogger } from "../lib/logger";
import { createOpenAiLlmClient } from "../llm/openai-client";
import { addJudgeStats } from "../db/queries/judge-stats";
import { createJudgeStatsRecorder } from "../judging/stats-recorder";
import { TRAINING_QUEUE } from "../training/service";
import { workerUiAssets } from "./worker-assets";
import { createWorkflowQueue, type WorkflowBinding } from "../workflows/queue";

/** The bindings of the Worker (wrangler.toml): Hyperdrive, the two Workflows, vars and secrets. */
export interface WorkerEnv {
  HYPERDRIVE?: { connectionString: string };
  TRAINING_WORKFLOW?: WorkflowBinding;
  EVALUATION_WORKFLOW?: WorkflowBinding;
  [key: string]: unknown;
}

/**
 * A Worker invocation may hold 6 connections open at once: one is PostgreSQL (Hyperdrive), so at
 * most 5 LLM requests are in flight per invocation (and per Workflow step), whatever
 * LLM_CONCURRENCY says; more would only wait inside the runtime.
 */
export const WORKERS_MAX_LLM_CONCURRENCY = 5;

/** Why a Worker cannot serve: a bad or missing setting, named. */
export class WorkerSetupError extends Error {}

/** The string bindings as environment variables; the Hyperdrive binding becomes DATABASE_URL. */
function stringBindings(env: WorkerEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === "string") out[k] = v;
  if (env.HYPERDRIVE?.connectionString) out.DATABASE_URL = env.HYPERDRIVE.connectionString;
  return out;
}

/** Config from the bindings, or a WorkerSetupError naming the fix. */
export function workerConfig(env: WorkerEnv): Config & { databaseUrl: string } {
  let config: Config;
  try {
    config = parseConfig(stringBindings(env));
  } catch (err) {
    throw new WorkerSetupError(err instanceof ConfigError ? err.message : "invalid configuration");
  }
  if (!config.databaseUrl) throw new WorkerSetupError("bind HYPERDRIVE or set DATABASE_URL");
  // A Worker is always reachable from the internet, so auth-off (the Node server's loopback
  // mode) would be an open judge on someone else's LLM bill.
  if (!config.adminKey) {
    throw new WorkerSetupError("SELFJUDGE_ADMIN_KEY is not set: `wrangler secret put SELFJUDGE_ADMIN_KEY` (or .dev.vars locally)");
  }
  return { ...config, databaseUrl: config.databaseUrl };
}

/**
 * Services for one invocation (a request, a Workflow step, a cron tick): Workers forbid sharing
 * I/O objects across invocations, so nothing outlives `close()`. Jobs are the Workflows when
 * JOBS_ENABLED (default) and the bindings exist.
 */
export async function openWorkerDeps(
  env: WorkerEnv,
  config: Config & { databaseUrl: string },
): Promise<{ deps: AppDeps; close(): Promise<void> }> {
  const database = await openPostgres(config.databaseUrl, { max: 1 });
  const logger = config.logLevel === "silent" ? silentLogger : consoleLogger({ service: "selfjudge" });
  const llmConfig = { ...config.llm, concurrency: Math.min(config.llm.concurrency, WORKERS_MAX_LLM_CONCURRENCY) };
  const llm = createOpenAiLlmClient({ ...llmConfig, logger });
  const hasWorkflows = Boolean(env.TRAINING_WORKFLOW || env.EVALUATION_WORKFLOW);
  const jobs =
    config.jobsEnabled && hasWorkflows
      ? createWorkflowQueue({ [TRAINING_QUEUE]: env.TRAINING_WORKFLOW, [EVALUATION_QUEUE]: env.EVALUATION_WORKFLOW })
      : undefined;
  // No process outlives an invocation here, so no timer: the counts of this invocation (one
  // request, or one batch) are written by close(), which the fetch handler runs in
  // ctx.waitUntil after the response is sent. The response does not wait for the upsert, and
  // nothing is lost between invocations; a batch writes one upsert for all its items.
  const judgeStats = createJudgeStatsRecorder({ write: (rows) => addJudgeStats(database.db, rows), logger });
  const deps: AppDeps = { config: { ...config, llm: llmConfig }, database, llm, clock: systemClock, logger, judgeStats, jobs, uiAssets: workerUiAssets() };
  return {
    deps,
    async close() {
      await judgeStats.close();
      await database.close();
    },
  };
}
