// HTTP context types (Hono). Domain modules never import this file: their dependency types
// live in the leaf src/deps.ts.
import type { KeyScope } from "./db/schema";
import type { AppDeps } from "./deps";
import type { Logger } from "./lib/logger";
import type { EvaluatorScope } from "./lib/tenant";

/** @deprecated import AppDeps from "./deps"; kept so code written before the move still compiles. */
export type { AppDeps };

export interface AuthContext {
  scope: KeyScope;
  /** "admin-env" for SELFJUDGE_ADMIN_KEY, the key id for scoped keys, null when auth is off. */
  actor: string | null;
  keyId: string | null;
  /** Evaluator ids the key is bound to; null = every evaluator (admin keys, unbound judge keys). */
  evaluatorIds: EvaluatorScope;
  /** Per-key limits (null = the global setting). */
  limits?: { rpm: number | null; tokensPerDay: number | null };
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    auth: AuthContext;
  };
}
