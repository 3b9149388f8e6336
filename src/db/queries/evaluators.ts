import { asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { evaluators } from "../schema";

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
