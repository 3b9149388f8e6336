import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { apiKeys, evaluators, type KeyScope } from "../schema";

export type KeyRow = typeof apiKeys.$inferSelect;

export async function findActiveKeyByHash(db: Db, hash: string) {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

export async function insertKey(
  db: Db,
  p: {
    name: string;
    scope: KeyScope;
    prefix: string;
    hash: string;
    evaluatorIds?: string[] | null;
    rateLimitRpm?: number | null;
    tokenBudgetPerDay?: number | null;
  },
) {
  const [row] = await db.insert(apiKeys).values(p).returning();
  return row!;
}

export async function listKeys(db: Db) {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
}

export async function revokeKey(db: Db, id: string, at: Date) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}

/** id → name of the given evaluators, in one query (keys show the names they are bound to). */
export async function evaluatorNamesByIds(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: evaluators.id, name: evaluators.name }).from(evaluators).where(inArray(evaluators.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** name → id of the given evaluators, in one query. */
export async function evaluatorIdsByNames(db: Db, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db.select({ id: evaluators.id, name: evaluators.name }).from(evaluators).where(inArray(evaluators.name, names));
  return new Map(rows.map((r) => [r.name, r.id]));
}
