import type { AppDeps } from "../deps";
import { listEvaluatorsWithActive, type EvaluatorWithActive } from "../db/queries/evaluators";

// The console's overview (touches the database).

export type OverviewView = {
  evaluators: EvaluatorWithActive[];
};

export async function overviewView(deps: Pick<AppDeps, "database">): Promise<OverviewView> {
  const db = deps.database.db;
  const evaluators = await listEvaluatorsWithActive(db);
  return { evaluators };
}
