import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-types";
import { ApiError } from "../lib/errors";

// Deny by default: a judge-scoped key may only judge and read judgments. Any route added later
// is admin-only unless it is listed here.
const JUDGE_SCOPE_ALLOWED: Array<{ method: string; pattern: RegExp }> = [
  { method: "POST", pattern: /^\/v1\/judge\/?$/ },
  { method: "POST", pattern: /^\/v1\/judge\/batch\/?$/ },
  { method: "GET", pattern: /^\/v1\/judgments\/?$/ },
  { method: "GET", pattern: /^\/v1\/judgments\/[^/]+\/?$/ },
];

export const scopePolicy: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.var.auth;
  if (auth.scope === "admin") return next();
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const path = c.req.path;
  if (JUDGE_SCOPE_ALLOWED.some((r) => r.method === method && r.pattern.test(path))) return next();
  throw new ApiError("forbidden", "this operation needs a key with the 'admin' scope");
};
