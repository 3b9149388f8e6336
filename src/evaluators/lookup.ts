import type { Db } from "../db/client";
import { findEvaluatorById, findEvaluatorByName, type EvaluatorRow } from "../db/queries/evaluators";
import { findVersion, getActiveVersion, type VersionRow } from "../db/queries/versions";
import { ApiError } from "../lib/errors";
import { evaluatorNotFound, inScope, type EvaluatorScope } from "../lib/tenant";

export const DEFAULT_EVALUATOR = "default";

/**
 * The evaluator a request addresses, or a 404 problem. With no name: `default`, or, for a key
 * bound to exactly one evaluator, that one. An evaluator outside `scope` is a 404 too.
 */
export async function resolveEvaluator(db: Db, name: string | undefined, scope?: EvaluatorScope) {
  if (name === undefined && scope && scope.length === 1) {
    const row = await findEvaluatorById(db, scope[0]!);
    if (row) return row;
  }
  const wanted = name ?? DEFAULT_EVALUATOR;
  const row = await findEvaluatorByName(db, wanted);
  if (!row || !inScope(scope, row.id)) throw evaluatorNotFound(wanted);
  return row;
}

/** A version of `evaluator` by id or name (`v3`), or a 404 problem. */
export async function requireVersion(db: Db, evaluator: EvaluatorRow, idOrName: string): Promise<VersionRow> {
  const row = await findVersion(db, evaluator.id, idOrName);
  if (!row) throw new ApiError("not_found", `evaluator '${evaluator.name}' has no version '${idOrName}'`);
  return row;
}

/** The active version of `evaluator`, or a 404 problem. */
export async function requireActiveVersion(db: Db, evaluator: EvaluatorRow): Promise<VersionRow> {
  const row = await getActiveVersion(db, evaluator.id);
  if (!row) throw new ApiError("not_found", `evaluator '${evaluator.name}' has no active version`);
  return row;
}
