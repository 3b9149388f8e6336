import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { evaluators, versions } from "../schema";
import type { EvaluatorRow } from "./evaluators";
import type { VersionRow } from "./versions";

/**
 * An evaluator (by name or id) and its active version, in one query: the judge path's lookup.
 * `version` is null when the evaluator has no active version.
 */
export async function findEvaluatorWithActiveVersion(
  db: Db,
  by: { name: string } | { id: string },
): Promise<{ evaluator: EvaluatorRow; version: VersionRow | null } | undefined> {
  const [row] = await db
    .select({ evaluator: evaluators, version: versions })
    .from(evaluators)
    .leftJoin(versions, and(eq(versions.evaluatorId, evaluators.id), eq(versions.status, "active")))
    .where("name" in by ? eq(evaluators.name, by.name) : eq(evaluators.id, by.id))
    .limit(1);
  return row;
}
