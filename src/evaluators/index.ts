/**
 * Evaluators: named judges, each with its own criteria, versions, traffic and training.
 * Functions of `(deps, params)`; lookups throw 404 problems for unknown names.
 */
export { DEFAULT_EVALUATOR, requireActiveVersion, requireVersion, resolveEvaluator } from "./lookup";
export { ensureDefaultEvaluator, EvaluatorExistsError, insertEvaluator, type NewEvaluator } from "./bootstrap";
export { createEvaluator, listEvaluators, type CreateEvaluatorParams } from "./service";
export type { EvaluatorRow, EvaluatorWithActive } from "../db/queries/evaluators";
