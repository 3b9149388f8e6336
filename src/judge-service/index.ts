export { judgeOne, type JudgeCallContext, type JudgeRequest, type JudgeResult } from "./judge-one";
export { presentJudgeResult, presentJudgment, presentJudgmentSummary } from "./present";
export { effectiveParams, resolveTarget, versionSpec, type JudgeTarget } from "./resolve";
export { requestHash } from "./cache-key";
export { runBatch, type BatchItemOutcome } from "./batch";
