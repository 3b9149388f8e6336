import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { apiKeys, type KeyScope } from "../schema";

export type KeyRow = typeof apiKeys.$inferSelect;

export async function findActiveKeyByHash(db: Db, hash: string) {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

export async function insertKey(db: Db, p: { name: string; scope: KeyScope; prefix: string; hash: string }) {
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
