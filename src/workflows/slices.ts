import type { AppDeps } from "../deps";
import { runEvaluation } from "../evaluation/runner";
import { createCallBudget } from "../llm/call-budget";
import { openWorkerDeps, workerConfig, type WorkerEnv } from "../runtime/cloudflare-deps";
import type { TrainingDeps } from "../training/deps";
import { createTrainingDeps } from "../training/production-deps";
import { runTraining, type RunOutcome } from "../training/runner";
import type { EvaluationSlice } from "./drive";

// One Workflow step's work: one bounded slice of the same resumable code the pg-boss handlers
// run (runTraining, runEvaluation), with the step's LLM calls counted against
// WORKFLOW_STEP_LLM_CALLS. Returns only a small outcome.

/** One slice of a training run: it ends once the step's call budget is spent (or the run's slice time). */
export async function runTrainingSlice(
  deps: AppDeps,
  runId: string,
  instanceId: string,
  overrides: Partial<TrainingDeps> = {},
): Promise<RunOutcome> {
  const budget = createCallBudget(deps.llm, deps.config.workflows.stepLlmCalls);
  // The lease owner is the instance, so a restarted instance takes its run back at once.
  const tdeps = createTrainingDeps(
    { ...deps, llm: budget.llm },
    { workerId: `workflow-${instanceId}`, sliceEnds: budget.exhausted, ...overrides },
  );
  return runTraining(tdeps, runId);
}

/** One slice of an evaluation: judges units until the step's call budget is spent, or to its end. */
export async function runEvaluationSlice(deps: AppDeps, evaluationId: string): Promise<EvaluationSlice> {
  const budget = createCallBudget(deps.llm, deps.config.workflows.stepLlmCalls);
  // A step serves no live traffic, so its units may use every LLM connection it has (a unit
  // judges both orders: two calls).
  const concurrency = Math.max(1, Math.ceil(deps.config.llm.concurrency / 2));
  const row = await runEvaluation({ ...deps, llm: budget.llm }, evaluationId, { shouldStop: budget.exhausted, concurrency });
  return { status: row.status, done: row.progressDone, total: row.progressTotal };
}

/** A slice with the invocation's own services (Workers share no I/O across invocations). */
async function withWorkerDeps<T>(env: WorkerEnv, fn: (deps: AppDeps) => Promise<T>): Promise<T> {
  const { deps, close } = await openWorkerDeps(env, workerConfig(env));
  try {
    return await fn(deps);
  } finally {
    await close();
  }
}

export const trainingSlice = (env: WorkerEnv, runId: string, instanceId: string) =>
  withWorkerDeps(env, (deps) => runTrainingSlice(deps, runId, instanceId));

export const evaluationSlice = (env: WorkerEnv, evaluationId: string) => withWorkerDeps(env, (deps) => runEvaluationSlice(deps, evaluationId));
