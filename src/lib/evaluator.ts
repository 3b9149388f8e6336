import type { Db } from "../db/client";
import { findEvaluatorByName } from "../db/queries/evaluators";
import { ApiError } from "./errors";

export const DEFAULT_EVALUATOR = "default";

/** The evaluator a request addresses (default `default`), or a 404 problem. */
export async function resolveEvaluator(db: Db, name: string | undefined) {
  const wanted = name ?? DEFAULT_EVALUATOR;
  const row = await findEvaluatorByName(db, wanted);
  if (!row) throw new ApiError("not_found", `evaluator '${wanted}' does not exist`);
  return row;
}
