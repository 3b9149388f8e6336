import type { KeyRow } from "../../db/queries/keys";

// Pure: rows in, response bodies out (no database access). Never the hash.

export function presentKey(k: KeyRow) {
  return {
    id: k.id,
    name: k.name,
    scope: k.scope,
    prefix: k.prefix,
    created_at: k.createdAt.toISOString(),
    revoked_at: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}
