import type { AppDeps } from "../deps";
import { DEFAULT_TIMING, type TrainingDeps } from "./deps";
import { createCandidateEvaluator } from "./evaluation-adapter";
import { createOpenAiFineTuningApi } from "./openai-fine-tuning";
import { createExternalTrainer } from "./trainers/external";
import { createFewShotTrainer } from "./trainers/few-shot";
import { createOpenAiTrainer } from "./trainers/openai";

/** The real services behind the training loop: the app's database and LLM, issue 3's gate. */
export function createTrainingDeps(deps: AppDeps, overrides: Partial<TrainingDeps> = {}): TrainingDeps {
  return {
    db: deps.database.db,
    llm: deps.llm,
    clock: deps.clock,
    logger: deps.logger.child({ component: "training" }),
    trainers: {
      "few-shot": createFewShotTrainer(),
      openai: createOpenAiTrainer(createOpenAiFineTuningApi(deps.config.llm)),
      external: createExternalTrainer(),
    },
    evaluation: createCandidateEvaluator(deps),
    workerId: `worker-${crypto.randomUUID()}`,
    // Issue 14: a short lease renewed every second, so a dead instance's run is taken over in seconds.
    timing: { ...DEFAULT_TIMING, leaseSeconds: deps.config.leases.ms / 1000, heartbeatMs: deps.config.leases.renewMs },
    ...overrides,
  };
}
