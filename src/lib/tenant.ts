import { ApiError } from "./errors";

// Tenant scope of a request (pure): null = every evaluator; otherwise the evaluator ids an API key
// is bound to. Outside its scope a key sees exactly what it would see if the resource did not
// exist (404 with the same message), so ids and names do not leak.
export type EvaluatorScope = readonly string[] | null;

export function inScope(scope: EvaluatorScope | undefined, evaluatorId: string): boolean {
  return !scope || scope.includes(evaluatorId);
}

/** The 404 a missing evaluator gets, also thrown for one outside the caller's scope. */
export function evaluatorNotFound(name: string): ApiError {
  return new ApiError("not_found", `evaluator '${name}' does not exist`);
}
