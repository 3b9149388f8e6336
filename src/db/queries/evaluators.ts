import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { evaluators, versions } from "../schema";

export type EvaluatorRow = typeof evaluators.$inferSelect;

export async function findEvaluatorByName(db: Db, name: string): Promise<EvaluatorRow | undefined> {
  const [row] = await db.select().from(evaluators).where(eq(evaluators.name, name)).limit(1);
  return row;
}

export async function findEvaluatorById(db: Db, id: string): Promise<EvaluatorRow | undefined> {
  const [row] = await db.select().from(evaluators).where(eq(evaluators.id, id)).limit(1);
  return row;
}

export async function listEvaluators(db: Db): Promise<EvaluatorRow[]> {
  return db.select().from(evaluators).orderBy(asc(evaluators.createdAt));
}

export type ActiveVersionRef = { id: string; name: string; model: string };
export type EvaluatorWithActive = EvaluatorRow & { active: ActiveVersionRef | null };

/** Every evaluator with its active version (at most one, by the partial unique index), in one query. */
export async function listEvaluatorsWithActive(db: Db): Promise<EvaluatorWithActive[]> {
  const rows = await db
    .select({ e: evaluators, id: versions.id, name: versions.name, model: versions.model })
    .from(evaluators)
    .leftJoin(versions, and(eq(versions.evaluatorId, evaluators.id), eq(versions.status, "active")))
    .orderBy(asc(evaluators.createdAt));
  return rows.map((r) => ({ ...r.e, active: r.id && r.name && r.model ? { id: r.id, name: r.name, model: r.model } : null }));
}
