/**
 * Held-out evaluation and the promotion gate, callable without HTTP (the training loop uses this):
 *
 *   const ev = await createEvaluation(deps, { evaluatorId, version: candidate.id, promote: true, actor, trainingRunId });
 *   const done = await runEvaluation(deps, ev.id);   // inline, resumable; or enqueueEvaluation + waitForEvaluation
 *   done.status / done.result (EvaluationResult & { applied })
 */
export { changeActiveVersion, changeActiveVersionInTx, rollbackTarget, type ActivationRequest, type ActivationResult } from "../versions/activation";
export { createEvaluation, type CreateEvaluationParams, type EvaluationFilter } from "./create";
export { finalizeEvaluation, MAX_FAILED_ITEM_SHARE, type AppliedDecision, type GateOutcome } from "./finalize";
export { decideGate, defaultGateParams, type GateDecision, type GateInput, type GateParams } from "./gate";
export { evaluationResult, isCorrect, UNCATEGORIZED, type EvaluationResult, type PairedComparison, type VersionMetrics } from "./metrics";
export { runEvaluation, type EvaluationDeps, type RunOptions } from "./runner";
export { binomialHalfUpperTail, mcnemarExactOneSided, wilsonInterval } from "./statistics";
export { cancelEvaluation, enqueueEvaluation, EVALUATION_QUEUE, registerEvaluationWorker, waitForEvaluation } from "./worker";
export { getEvaluation, listEvaluations, startEvaluation, stopEvaluation } from "./service";
