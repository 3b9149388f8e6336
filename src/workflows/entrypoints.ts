import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { WorkerEnv } from "../runtime/cloudflare-deps";
import { DEFAULT_TIMING } from "../training/deps";
import { driveEvaluation, driveTraining, type EvaluationPayload, type StepApi, type TrainingPayload } from "./drive";
import { evaluationSlice, trainingSlice } from "./slices";

// The Workflows classes wrangler.toml declares ([[workflows]] class_name). Thin: each run() is
// the driver loop of drive.ts over the real `step`, with slices of the shared step code.

function stepApi(step: WorkflowStep): StepApi {
  return {
    do: (name, config, fn) => step.do(name, config, fn),
    sleep: (name, ms) => step.sleep(name, ms),
  };
}

/** One instance per training run (instance id = run id). */
export class TrainingWorkflow extends WorkflowEntrypoint<WorkerEnv, TrainingPayload> {
  override async run(event: Readonly<WorkflowEvent<TrainingPayload>>, step: WorkflowStep) {
    const { runId } = event.payload;
    return driveTraining(stepApi(step), event.payload, () => trainingSlice(this.env, runId, event.instanceId), {
      leaseSeconds: DEFAULT_TIMING.leaseSeconds,
    });
  }
}

/** One instance per evaluation started through the API (instance id = evaluation id). */
export class EvaluationWorkflow extends WorkflowEntrypoint<WorkerEnv, EvaluationPayload> {
  override async run(event: Readonly<WorkflowEvent<EvaluationPayload>>, step: WorkflowStep) {
    return driveEvaluation(stepApi(step), event.payload, () => evaluationSlice(this.env, event.payload.evaluation_id));
  }
}
