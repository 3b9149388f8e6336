import type { Config } from "../config";
import { DEFAULT_CRITERIA, DEFAULT_JUDGE_TEMPLATE } from "../judging/prompt";
import { DEFAULT_EVALUATOR } from "./lookup";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { findEvaluatorByName, type EvaluatorRow } from "../db/queries/evaluators";
import { insertVersion } from "../db/queries/versions";
import { evaluators } from "../db/schema";

export type NewEvaluator = {
  name: string;
  description?: string;
  criteria?: string;
  seedModel: string;
  baseUrl?: string | null;
  apiKeyEnv?: string | null;
};

export class EvaluatorExistsError extends Error {}

/** Creates an evaluator and its seed version `v1`, active, in one transaction. */
export async function insertEvaluator(db: Db, e: NewEvaluator, now: Date): Promise<EvaluatorRow> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(evaluators)
        .values({
          name: e.name,
          description: e.description ?? "",
          criteria: e.criteria ?? DEFAULT_CRITERIA,
          seedModel: e.seedModel,
        })
        .returning();
      await insertVersion(tx, {
        evaluatorId: row!.id,
        model: e.seedModel,
        baseUrl: e.baseUrl ?? null,
        apiKeyEnv: e.apiKeyEnv ?? null,
        promptTemplate: DEFAULT_JUDGE_TEMPLATE,
        params: { samples: 1, swap: true },
        status: "active",
        notes: "seed model",
        activatedAt: now,
      });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new EvaluatorExistsError(`evaluator '${e.name}' already exists`);
    throw err;
  }
}

/** First start: the `default` evaluator with the configured seed model as its active v1. */
export async function ensureDefaultEvaluator(db: Db, config: Config, now: Date): Promise<EvaluatorRow> {
  const existing = await findEvaluatorByName(db, DEFAULT_EVALUATOR);
  if (existing) return existing;
  try {
    return await insertEvaluator(db, { name: DEFAULT_EVALUATOR, description: "General-purpose pairwise judge", seedModel: config.judgeModel }, now);
  } catch (err) {
    // Another instance created it at the same moment.
    if (err instanceof EvaluatorExistsError) return (await findEvaluatorByName(db, DEFAULT_EVALUATOR))!;
    throw err;
  }
}
