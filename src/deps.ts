import type { Config } from "./config";
import type { Database } from "./db/client";
import type { JobQueue } from "./jobs/queue";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import type { JudgeStatsRecorder } from "./judging/stats-recorder";
import type { LlmClient } from "./llm/types";
import type { Metrics } from "./metrics/types";

/**
 * The plain dependency types every layer shares. A leaf: it imports types only, and nothing
 * from HTTP (the Hono context types live in app-types.ts). Domain modules take `AppDeps` (or a
 * `Pick` of it) as their first argument.
 */

/** Everything the app needs from the outside world, injected so tests and runtimes can differ. */
export interface AppDeps {
  config: Config;
  database: Database;
  llm: LlmClient;
  clock: Clock;
  logger: Logger;
  /** Daily judge counts (judge_daily_stats), written in the background; readers flush first. */
  judgeStats: JudgeStatsRecorder;
  /** Background job queue; absent where no runner exists (routes that need it answer 503). */
  jobs?: JobQueue;
  /** Prometheus metrics (Node runtime); absent on Workers, where /metrics answers 404. */
  metrics?: Metrics;
  /** Static files of the web console (issue 10), read however the runtime can; absent: charts are not served. */
  uiAssets?: UiAssets;
}

/** The web console's vendored static files: Chart.js from node_modules, never a CDN. */
export interface UiAssets {
  chartJs(): Promise<string>;
}

/** AppDeps on an instance that runs background jobs. */
export type JobDeps = AppDeps & { jobs: JobQueue };

/**
 * A background concern (evaluations, training) registers its queues and handlers with this.
 * The runtime (src/runtime/workers.ts) lists and calls them; registrars never import it back.
 */
export type WorkerRegistrar = (deps: JobDeps) => Promise<void>;
