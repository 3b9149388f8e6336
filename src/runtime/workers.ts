import type { AppDeps, WorkerRegistrar } from "../deps";
import { registerEvaluationWorker } from "../evaluation/worker";
import { registerTrainingWorker } from "../training/worker";

// The one composition place for background work: each concern exports its registrar, this
// list wires them. Registrars import only the WorkerRegistrar type (src/deps.ts), never this file.

const REGISTRARS: WorkerRegistrar[] = [registerEvaluationWorker, registerTrainingWorker];

export async function startWorkers(deps: AppDeps): Promise<void> {
  if (!deps.jobs) return;
  const withJobs = { ...deps, jobs: deps.jobs };
  for (const register of REGISTRARS) await register(withJobs);
}
