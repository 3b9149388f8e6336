import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { apiKeys } from "../schema";

/** An API key by id while it is not revoked: a console session lives only as long as its key. */
export async function findActiveKeyById(db: Db, id: string) {
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scope: apiKeys.scope, evaluatorIds: apiKeys.evaluatorIds })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}
