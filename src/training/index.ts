/**
 * The self-taught loop (Self-Taught Evaluator): curate the pool, synthesise pairs, annotate by
 * rejection sampling, train a candidate, evaluate it against the active version, gate, repeat.
 * The runner (runner.ts) executes resumable steps whose state is in Postgres; these are the
 * functions callers (HTTP, CLI, dashboard, Workflows) use.
 */
export {
  cancelTrainingRun,
  createTrainingRun,
  getTrainingRun,
  listTrainingRuns,
  shownIteration,
  trainingRunDataset,
  type RunView,
} from "./runs";
export { ingestTraffic, poolStats } from "./pool";
export { enqueueRun, onExternalModelRegistered, startTrainingRun } from "./service";
export { runTraining } from "./runner";
export type { TrainingDeps, TrainingTiming, CandidateEvaluator, GateOutcome } from "./deps";
export type { RunParams, RunParamsInput, Backend } from "./params";
