import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { evaluators } from "../db/schema";
import { ApiError } from "./errors";

export const DEFAULT_EVALUATOR = "default";

/** The evaluator a request addresses (default `default`), or a 404 problem. */
export async function resolveEvaluator(db: Db, name: string | undefined) {
  const wanted = name ?? DEFAULT_EVALUATOR;
  const [row] = await db.select().from(evaluators).where(eq(evaluators.name, wanted)).limit(1);
  if (!row) throw new ApiError("not_found", `evaluator '${wanted}' does not exist`);
  return row;
}
