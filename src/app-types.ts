import type { Config } from "./config";
import type { Database } from "./db/client";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import type { LlmClient } from "./llm/types";
import type { JobQueue } from "./jobs/queue";
import type { KeyScope } from "./db/schema";

/** Everything the app needs from the outside world, injected so tests and runtimes can differ. */
export interface AppDeps {
  config: Config;
  database: Database;
  llm: LlmClient;
  clock: Clock;
  logger: Logger;
  /** Background job queue; absent where no runner exists (routes that need it answer 503). */
  jobs?: JobQueue;
}

export interface AuthContext {
  scope: KeyScope;
  /** "admin-env" for SELFJUDGE_ADMIN_KEY, the key id for scoped keys, null when auth is off. */
  actor: string | null;
  keyId: string | null;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    auth: AuthContext;
  };
}
