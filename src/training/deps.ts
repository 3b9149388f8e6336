import type { Db } from "../db/client";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { LlmClient } from "../llm/types";
import type { Backend } from "./params";
import type { Trainer } from "./trainers/types";

/**
 * Everything the training loop touches, injected: the runner is pure orchestration over these,
 * so tests drive it with fakes and no network, and production wires the real services
 * (see production-deps.ts).
 */
export interface TrainingDeps {
  db: Db;
  llm: LlmClient;
  clock: Clock;
  logger: Logger;
  trainers: Record<Backend, Trainer>;
  evaluation: CandidateEvaluator;
  /** Identifies this process in run leases. */
  workerId: string;
  timing: TrainingTiming;
  /**
   * An extra end-of-slice condition besides `timing.sliceMs`; true ends the slice between items.
   * The Workflows scheduler sets it to the step's LLM-call budget (WORKFLOW_STEP_LLM_CALLS).
   */
  sliceEnds?: () => boolean;
}

export interface TrainingTiming {
  /** A lease not renewed for this long is free for another process to take. */
  leaseSeconds: number;
  /** How often the runner renews its lease, flushes token usage and looks for a cancel. */
  heartbeatMs: number;
  /** A job handler works at most this long, then hands the rest to a fresh job. */
  sliceMs: number;
  /** Fine-tuning job polling backs off from initial to max. */
  pollInitialMs: number;
  pollMaxMs: number;
  /** Rows per page when streaming the pool and the run's items. */
  pageSize: number;
}

export const DEFAULT_TIMING: TrainingTiming = {
  leaseSeconds: 15,
  heartbeatMs: 1_000,
  sliceMs: 5 * 60_000,
  pollInitialMs: 250,
  pollMaxMs: 30_000,
  pageSize: 500,
};

/** The gate's verdict on one candidate, as the training run records it. */
export interface GateOutcome {
  evaluationId: string;
  passed: boolean;
  promoted: boolean;
  /** Per version numbers and the paired comparison, as the evaluation reports them. */
  metrics: Record<string, unknown>;
  decision: Record<string, unknown>;
}

/**
 * Evaluation and promotion gate (issue 3's machinery). Two calls so the run can store the
 * evaluation id in between: a restarted run continues the same evaluation instead of a new one.
 */
export interface CandidateEvaluator {
  start(args: {
    evaluatorId: string;
    candidateVersionId: string;
    trainingRunId: string;
    iteration: number;
    /** Activate a candidate that passes the gate (auto_promote); a failing one is rejected either way. */
    promote: boolean;
    concurrency: number;
  }): Promise<string>;
  /**
   * Runs (or resumes) the evaluation to its end and applies the gate. Returns null when it
   * stopped early because `shouldStop` said so; it is then resumed later with the same id.
   */
  finish(
    evaluationId: string,
    opts: { signal: AbortSignal; shouldStop: () => boolean; concurrency: number },
  ): Promise<GateOutcome | null>;
  /** Stops an unfinished evaluation when its run is canceled. */
  cancel(evaluationId: string): Promise<void>;
}
