import type { AppDeps } from "../deps";
import { addToPool, type TrafficInput } from "../db/queries/traffic";
import { trafficStats, type TrafficStatRow } from "../db/queries/training-pool";
import { resolveEvaluator } from "../evaluators/lookup";

// The training pool: logged and ingested instructions the loop mines (touches the database).

/** Adds instructions to an evaluator's pool, deduplicated by normalised hash. */
export async function ingestTraffic(deps: Pick<AppDeps, "database">, p: { evaluator?: string; items: TrafficInput[] }) {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const res = await addToPool(db, evaluator.id, "ingest", p.items);
  return { evaluator: evaluator.name, received: p.items.length, ...res };
}

/** The pool's size by (source, category, split), for the stats endpoint to total up. */
export async function poolStats(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string },
): Promise<{ evaluator: string; rows: TrafficStatRow[] }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  return { evaluator: evaluator.name, rows: await trafficStats(db, evaluator.id) };
}
