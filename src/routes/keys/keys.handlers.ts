import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { insertKey, listKeys as listKeyRows, revokeKey as revokeKeyRow } from "../../db/queries/keys";
import type { apiKeys } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { sha256Hex } from "../../lib/hash";
import type { createKey, listKeys, revokeKey } from "./keys.routes";

function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let b64 = btoa(String.fromCharCode(...bytes));
  b64 = b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `sj_${b64}`;
}

function present(k: typeof apiKeys.$inferSelect) {
  return {
    id: k.id,
    name: k.name,
    scope: k.scope,
    prefix: k.prefix,
    created_at: k.createdAt.toISOString(),
    revoked_at: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}

export const createKeyHandler: RouteHandler<typeof createKey, AppEnv> = async (c) => {
  const { name, scope } = c.req.valid("json");
  const secret = newSecret();
  const row = await insertKey(c.var.deps.database.db, {
    name,
    scope,
    prefix: secret.slice(0, 10),
    hash: await sha256Hex(secret),
  });
  return c.json({ ...present(row), secret }, 201);
};

export const listKeysHandler: RouteHandler<typeof listKeys, AppEnv> = async (c) => {
  const rows = await listKeyRows(c.var.deps.database.db);
  return c.json({ data: rows.map(present) }, 200);
};

export const revokeKeyHandler: RouteHandler<typeof revokeKey, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await revokeKeyRow(c.var.deps.database.db, id, c.var.deps.clock.now());
  if (!row) throw new ApiError("not_found", `no active key ${id}`);
  return c.json(present(row), 200);
};
