import type { AppDeps } from "../deps";
import { listEvaluatorsWithActive, type EvaluatorWithActive } from "../db/queries/evaluators";
import { getActiveVersion } from "../db/queries/versions";
import { validateProviderSettings } from "../auth/resolve-key";
import { ApiError } from "../lib/errors";
import { EvaluatorExistsError, insertEvaluator } from "./bootstrap";

// Evaluators as the API manages them (touches the database).

export type CreateEvaluatorParams = {
  name: string;
  description?: string;
  criteria?: string;
  /** Default: config.judgeModel. */
  seedModel?: string;
  baseUrl?: string | null;
  /** SELFJUDGE_KEY_<NAME> holding the key for baseUrl. */
  apiKeyEnv?: string | null;
};

/** Creates an evaluator with its seed version v1 active; 409 when the name is taken. */
export async function createEvaluator(
  deps: Pick<AppDeps, "database" | "config" | "clock">,
  p: CreateEvaluatorParams,
): Promise<EvaluatorWithActive> {
  const db = deps.database.db;
  const provider = validateProviderSettings(deps.config.llm.providers, p);
  try {
    const row = await insertEvaluator(
      db,
      {
        name: p.name,
        description: p.description,
        criteria: p.criteria,
        seedModel: p.seedModel ?? deps.config.judgeModel,
        baseUrl: provider.baseUrl,
        apiKeyEnv: provider.apiKeyEnv,
      },
      deps.clock.now(),
    );
    const active = await getActiveVersion(db, row.id);
    return { ...row, active: active ? { id: active.id, name: active.name, model: active.model } : null };
  } catch (err) {
    if (err instanceof EvaluatorExistsError) throw new ApiError("conflict", err.message);
    throw err;
  }
}

/** All evaluators with their active versions: one query, whatever their number. */
export async function listEvaluators(deps: Pick<AppDeps, "database">): Promise<EvaluatorWithActive[]> {
  return listEvaluatorsWithActive(deps.database.db);
}
