import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-types";
import { findActiveKeyByHash } from "../db/queries/keys";
import { ApiError } from "../lib/errors";
import { sha256Hex } from "../lib/hash";

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Resolves the caller's scope. With no admin key configured, auth is off and everyone is admin. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { config, database } = c.var.deps;
  if (!config.adminKey) {
    c.set("auth", { scope: "admin", actor: null, keyId: null, evaluatorIds: null });
    return next();
  }
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new ApiError("unauthorized", "send Authorization: Bearer <key>");
  }
  const token = match[1]!;
  if (timingSafeEqual(token, config.adminKey)) {
    c.set("auth", { scope: "admin", actor: "admin-env", keyId: null, evaluatorIds: null });
    return next();
  }
  const key = await findActiveKeyByHash(database.db, await sha256Hex(token));
  if (!key) throw new ApiError("unauthorized", "unknown or revoked API key");
  c.set("auth", {
    scope: key.scope,
    actor: key.id,
    keyId: key.id,
    evaluatorIds: key.evaluatorIds ?? null,
    limits: { rpm: key.rateLimitRpm, tokensPerDay: key.tokenBudgetPerDay },
  });
  return next();
};
