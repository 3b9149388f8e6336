import type { Db } from "../../db/client";
import type { EvaluatorRow } from "../../db/queries/evaluators";
import type { VersionRow } from "../../db/queries/versions";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { LlmClient } from "../../llm/types";
import type { RunParams } from "../params";

/**
 * What a trainer may use of the loop's services: a structural subset of TrainingDeps, declared
 * here so that deps.ts (which lists the trainers) and this file do not import each other.
 */
export interface TrainerDeps {
  db: Db;
  llm: LlmClient;
  clock: Clock;
  logger: Logger;
  timing: { pageSize: number; pollInitialMs: number; pollMaxMs: number };
}

export interface TrainContext {
  deps: TrainerDeps;
  runId: string;
  params: RunParams;
  evaluator: EvaluatorRow;
  /** The version active when the run started: its model, prompt and params are what candidates build on. */
  baseVersion: VersionRow;
  iteration: number;
  /** This backend's saved state for the iteration (e.g. the fine-tuning job id). */
  state: Record<string, unknown>;
  /** Persists a patch of that state before the call that depends on it returns. */
  saveState(patch: Record<string, unknown>): Promise<void>;
  signal: AbortSignal;
  shouldStop(): boolean;
  /** Candidates of earlier iterations, which an external registration must not be mistaken for. */
  usedVersionIds: readonly string[];
  /** When this iteration's training data was selected (a model trained on it cannot be older). */
  dataReadyAt: Date | null;
}

export type TrainResult =
  | { kind: "candidate"; versionId: string; details?: Record<string, unknown> }
  /** The run waits for something outside (a model registered through POST /v1/versions). */
  | { kind: "waiting" }
  /** Not finished yet (a fine-tuning job still running when the work slice ended); look again later. */
  | { kind: "pending"; retryAfterSeconds: number };

/** What a trainer gets when its run is canceled before the iteration produced a candidate. */
export interface TrainCancelContext {
  deps: TrainerDeps;
  runId: string;
  iteration: number;
  /** This backend's saved state for the iteration, as `train` left it. */
  state: Record<string, unknown>;
}

/** One way of turning an iteration's verified judgments into a candidate judge version. */
export interface Trainer {
  train(ctx: TrainContext): Promise<TrainResult>;
  /**
   * Stops whatever the backend still has running outside for the iteration (e.g. a fine-tuning
   * job). Returns a patch for the iteration's state. May throw; the run is canceled regardless.
   */
  cancel?(ctx: TrainCancelContext): Promise<Record<string, unknown>>;
}
