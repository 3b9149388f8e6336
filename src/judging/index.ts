export {
  aggregateVotes,
  countVotes,
  orderMajority,
  toCallerFrame,
  type Aggregate,
  type Order,
  type Verdict,
  type Vote,
  type VoteCounts,
} from "./aggregate";
export {
  judgePair,
  sampleJudgments,
  type JudgeInput,
  type JudgeOptions,
  type JudgeOutcome,
  type JudgeSample,
  type JudgeVersionSpec,
  type OrderJudgments,
  type RawJudgment,
  type SampleOptions,
} from "./judge";
export { parseVerdict, type ParsedVerdict } from "./parse";
export {
  isTemplateName,
  parseJudgment,
  parsePlanExecute,
  PLAN_EXECUTE_PROMPT,
  STANDARD_PROMPT,
  TEMPLATE_NAMES,
  templatePrompt,
  type PlanExecuteParts,
  type TemplateName,
} from "./templates";
export {
  DEFAULT_CRITERIA,
  DEFAULT_JUDGE_TEMPLATE,
  formatJudgeTemplate,
  neutralizeDelimiters,
  parseJudgeTemplate,
  renderJudgeMessages,
  validateJudgeTemplate,
  type FewShotExample,
  type JudgeTemplate,
  type RenderJudgeInput,
} from "./prompt";
// The judging service: resolves the evaluator and version, caches, stores (touches the database).
export { judgeOne, type JudgeCallContext, type JudgeRequest, type JudgeResult } from "./judge-one";
export { effectiveParams, resolveTarget, versionSpec, type JudgeTarget } from "./resolve";
export { requestHash } from "./cache-key";
export { runBatch, type BatchItemOutcome } from "./batch";
export { getJudgment, listJudgments } from "./judgments";
