import type { AppDeps } from "../deps";
import { insertKey, listKeys as listKeyRows, revokeKey as revokeKeyRow, type KeyRow } from "../db/queries/keys";
import type { KeyScope } from "../db/schema";
import { ApiError } from "../lib/errors";
import { sha256Hex } from "../lib/hash";

// Scoped API keys: stored hashed, the secret shown once (touches the database).

function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let b64 = btoa(String.fromCharCode(...bytes));
  b64 = b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `sj_${b64}`;
}

/** A new key; `secret` exists only in this return value (the database keeps its hash and prefix). */
export async function createKey(
  deps: Pick<AppDeps, "database">,
  p: { name: string; scope: KeyScope },
): Promise<{ key: KeyRow; secret: string }> {
  const secret = newSecret();
  const key = await insertKey(deps.database.db, {
    name: p.name,
    scope: p.scope,
    prefix: secret.slice(0, 10),
    hash: await sha256Hex(secret),
  });
  return { key, secret };
}

export async function listKeys(deps: Pick<AppDeps, "database">): Promise<KeyRow[]> {
  return listKeyRows(deps.database.db);
}

/** Revokes an active key; 404 when unknown or already revoked. */
export async function revokeKey(deps: Pick<AppDeps, "database" | "clock">, id: string): Promise<KeyRow> {
  const row = await revokeKeyRow(deps.database.db, id, deps.clock.now());
  if (!row) throw new ApiError("not_found", `no active key ${id}`);
  return row;
}
