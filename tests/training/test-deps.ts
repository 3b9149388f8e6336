import type { TestApp } from "../helpers/test-app";
import { insertRunWithinCapacity } from "../../src/db/queries/training";
import { findEvaluatorByName } from "../../src/db/queries/evaluators";
import { DEFAULT_TIMING, type TrainingDeps } from "../../src/training/deps";
import { completeParams, RunParamsSchema, type RunParamsInput } from "../../src/training/params";
import { createTrainingDeps } from "../../src/training/production-deps";

/**
 * The test deps factory: the production wiring over a test app (real database, real LLM client
 * pointed at the fake server), with fast timing, tiny pages (to cross page boundaries) and a
 * worker id of its own, so two factories behave like two processes.
 */
export function testTrainingDeps(t: TestApp, overrides: Partial<TrainingDeps> = {}): TrainingDeps {
  return createTrainingDeps(t.deps, {
    workerId: `test-worker-${crypto.randomUUID()}`,
    timing: { ...DEFAULT_TIMING, leaseSeconds: 30, heartbeatMs: 50, pollInitialMs: 5, pollMaxMs: 20, pageSize: 7 },
    ...overrides,
  });
}

/** A queued run, created without the job queue (tests drive runTraining themselves). */
export async function createQueuedRun(t: TestApp, params: RunParamsInput, evaluator = "default"): Promise<string> {
  const ev = await findEvaluatorByName(t.database.db, evaluator);
  const full = completeParams(RunParamsSchema.parse(params), { generatorModel: "fake-judge", randomSeed: () => 1 });
  const row = await insertRunWithinCapacity(
    t.database.db,
    { evaluatorId: ev!.id, params: full as unknown as Record<string, unknown>, trigger: "api" },
    100,
  );
  return row!.id;
}
