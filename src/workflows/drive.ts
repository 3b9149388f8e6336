import type { RunOutcome } from "../training/runner";

/**
 * The Workflows side of the two schedulers, as plain loops over a step API, so a test can drive
 * them with a stand-in for `step` and the real step code. Each `step.do` runs ONE slice of the
 * same resumable code the pg-boss handlers run (`runTraining`, `runEvaluation`); a slice is
 * bounded by WORKFLOW_STEP_LLM_CALLS and returns only a small outcome (kind, status, counters),
 * far under the 1 MiB step-result limit: everything else is in PostgreSQL. Waiting (a
 * fine-tuning job, another holder's lease) is `step.sleep`, which costs no CPU or wall time.
 */
export interface StepApi {
  do<T>(name: string, config: StepConfig, fn: () => Promise<T>): Promise<T>;
  sleep(name: string, durationMs: number): Promise<void>;
}

export interface StepConfig {
  retries: { limit: number; delay: string; backoff: "constant" | "linear" | "exponential" };
  timeout: string;
}

/**
 * A slice catches its own failures (it ends the run or evaluation as failed), so a step only
 * throws when the database is unreachable: retried with backoff, then the instance errors and
 * the Cron Trigger's sweep restarts it.
 */
export const SLICE_STEP: StepConfig = {
  retries: { limit: 5, delay: "10 seconds", backoff: "exponential" },
  timeout: "15 minutes",
};

/** Slices one instance runs before it ends and leaves the rest to a fresh instance (the sweep):
 * well under the 10,000 steps an instance may take (sleeps count as steps). */
export const MAX_SLICES_PER_INSTANCE = 2_000;

export interface TrainingPayload {
  runId: string;
  startAfterSeconds?: number;
}

export type TrainingWorkflowResult = { runId: string; slices: number; outcome: RunOutcome | { kind: "handoff" } };

/** Drives a training run slice after slice until it finishes or waits for an external model. */
export async function driveTraining(
  step: StepApi,
  payload: TrainingPayload,
  slice: () => Promise<RunOutcome>,
  opts: { leaseSeconds: number },
): Promise<TrainingWorkflowResult> {
  if (payload.startAfterSeconds) await step.sleep("start delay", payload.startAfterSeconds * 1000);
  for (let i = 1; i <= MAX_SLICES_PER_INSTANCE; i++) {
    const outcome = await step.do(`slice ${i}`, SLICE_STEP, slice);
    if (outcome.kind === "finished" || outcome.kind === "waiting_external") return { runId: payload.runId, slices: i, outcome };
    // Another process holds the lease: look again once it would have lapsed.
    const delaySeconds = outcome.kind === "busy" ? opts.leaseSeconds : outcome.delaySeconds;
    if (delaySeconds > 0) await step.sleep(`wait ${i}`, delaySeconds * 1000);
  }
  return { runId: payload.runId, slices: MAX_SLICES_PER_INSTANCE, outcome: { kind: "handoff" } };
}

export interface EvaluationPayload {
  evaluation_id: string;
  startAfterSeconds?: number;
}

/** What one evaluation slice reports: its status and units judged so far. */
export interface EvaluationSlice {
  status: string;
  done: number;
  total: number;
}

export type EvaluationWorkflowResult = { evaluationId: string; slices: number; last: EvaluationSlice | { status: "handoff" } };

const ACTIVE = new Set(["queued", "running"]);
/** A slice that judged nothing and left the evaluation running (another process has it): wait this long. */
export const IDLE_SLICE_WAIT_MS = 15_000;

/** Drives an evaluation slice after slice until it completes, fails or is canceled. */
export async function driveEvaluation(
  step: StepApi,
  payload: EvaluationPayload,
  slice: () => Promise<EvaluationSlice>,
): Promise<EvaluationWorkflowResult> {
  if (payload.startAfterSeconds) await step.sleep("start delay", payload.startAfterSeconds * 1000);
  let before = -1;
  for (let i = 1; i <= MAX_SLICES_PER_INSTANCE; i++) {
    const last = await step.do(`slice ${i}`, SLICE_STEP, slice);
    if (!ACTIVE.has(last.status)) return { evaluationId: payload.evaluation_id, slices: i, last };
    if (last.done === before) await step.sleep(`wait ${i}`, IDLE_SLICE_WAIT_MS);
    before = last.done;
  }
  return { evaluationId: payload.evaluation_id, slices: MAX_SLICES_PER_INSTANCE, last: { status: "handoff" } };
}
