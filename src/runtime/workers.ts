import type { AppDeps } from "../app-types";
import { registerEvaluationWorker } from "../evaluation/worker";
import { registerTrainingWorker } from "../training/worker";

/** A background concern (evaluations, training) registers its queues and handlers here. */
export type WorkerRegistrar = (deps: AppDeps & { jobs: NonNullable<AppDeps["jobs"]> }) => Promise<void>;

const REGISTRARS: WorkerRegistrar[] = [registerEvaluationWorker, registerTrainingWorker];

export async function startWorkers(deps: AppDeps): Promise<void> {
  if (!deps.jobs) return;
  const withJobs = { ...deps, jobs: deps.jobs };
  for (const register of REGISTRARS) await register(withJobs);
}
