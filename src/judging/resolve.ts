import type { Db } from "../db/client";
import type { EvaluatorRow } from "../db/queries/evaluators";
import type { VersionRow } from "../db/queries/versions";
import type { JudgeVersionSpec } from "./judge";
import { findEvaluatorWithActiveVersion } from "../db/queries/judge-target";
import { ApiError } from "../lib/errors";
import { evaluatorNotFound, inScope, type EvaluatorScope } from "../lib/tenant";
import { DEFAULT_EVALUATOR } from "../evaluators/lookup";
import { requireActiveVersion, requireVersion, resolveEvaluator } from "../evaluators/lookup";

export type JudgeTarget = { evaluator: EvaluatorRow; version: VersionRow };

/**
 * The evaluator and version a request addresses: a pinned version (id or name) or the active one.
 * Read from the database on every request, never memoised: another instance may promote or roll
 * back at any moment and every instance must follow within a second.
 */
export async function resolveTarget(
  db: Db,
  evaluatorName: string | undefined,
  version: string | undefined,
  scope?: EvaluatorScope,
): Promise<JudgeTarget> {
  if (version === undefined) return resolveActiveTarget(db, evaluatorName, scope);
  const evaluator = await resolveEvaluator(db, evaluatorName, scope);
  const row = version !== undefined ? await requireVersion(db, evaluator, version) : await requireActiveVersion(db, evaluator);
  return { evaluator, version: row };
}

/**
 * The evaluator and its active version in one query (the common case: no pinned version). Same
 * rules and 404s as resolveEvaluator + requireActiveVersion.
 */
async function resolveActiveTarget(db: Db, evaluatorName: string | undefined, scope?: EvaluatorScope): Promise<JudgeTarget> {
  let found = evaluatorName === undefined && scope && scope.length === 1
    ? await findEvaluatorWithActiveVersion(db, { id: scope[0]! })
    : undefined;
  const wanted = evaluatorName ?? DEFAULT_EVALUATOR;
  if (!found) {
    found = await findEvaluatorWithActiveVersion(db, { name: wanted });
    if (!found || !inScope(scope, found.evaluator.id)) throw evaluatorNotFound(wanted);
  }
  if (!found.version) throw new ApiError("not_found", `evaluator '${found.evaluator.name}' has no active version`);
  return { evaluator: found.evaluator, version: found.version };
}

export type EffectiveParams = { samples: number; swap: boolean; temperature: number | null };

/**
 * Request values win, then the version's params, then the API defaults (1 sample, swap on).
 * A null temperature means neither set one and the judge core picks its own default, which is a
 * function of the version and the sample count, both of which are part of the cache key.
 */
export function effectiveParams(
  version: VersionRow,
  req: { samples?: number; swap?: boolean; temperature?: number },
): EffectiveParams {
  return {
    samples: req.samples ?? version.params.samples ?? 1,
    swap: req.swap ?? version.params.swap ?? true,
    temperature: req.temperature ?? version.params.temperature ?? null,
  };
}

export function versionSpec(target: JudgeTarget): JudgeVersionSpec {
  const { evaluator, version } = target;
  return {
    model: version.model,
    base_url: version.baseUrl,
    api_key_env: version.apiKeyEnv,
    prompt_template: version.promptTemplate,
    template: version.template,
    members: version.members,
    criteria: evaluator.criteria,
    few_shot: version.fewShot,
    params: {
      ...(version.params.temperature !== undefined ? { temperature: version.params.temperature } : {}),
      ...(version.params.top_p !== undefined ? { top_p: version.params.top_p } : {}),
      ...(version.params.max_tokens !== undefined ? { max_tokens: version.params.max_tokens } : {}),
      ...(version.params.logprobs ? { logprobs: true } : {}),
    },
  };
}
