import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-types";
import { ApiError } from "../lib/errors";
import { checkTokenBudget, spendTokens, takeRequest, type LimitState } from "../limits";

// Requests per minute per caller (RATE_LIMIT_RPM, or the key's own rate_limit_rpm), counted in the
// database. A caller is its API key; without auth, its client address. The SELFJUDGE_ADMIN_KEY
// operator is never limited. 0 = unlimited (the default): no database work at all.

/** Who a request is counted against, or null for the unlimited operator. */
export function limitSubject(c: Context<AppEnv>): string | null {
  const auth = c.var.auth;
  if (auth.keyId) return `key:${auth.keyId}`;
  if (auth.actor === "admin-env") return null;
  return `ip:${clientAddress(c)}`;
}

/** The TCP peer (Node) or Cloudflare's client address (Workers); never a spoofable X-Forwarded-For. */
function clientAddress(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? c.req.header("cf-connecting-ip") ?? "unknown";
}

/** IETF draft (draft-ietf-httpapi-ratelimit-headers) RateLimit-* fields for one policy. */
export function setRateLimitHeaders(c: Context<AppEnv>, s: LimitState, windowSeconds: number, kind: "rpm" | "tokens" = "rpm"): void {
  // The token budget only speaks when it is the tighter (or the refusing) policy.
  if (kind === "tokens" && c.res.headers.has("RateLimit-Limit") && s.remaining > 0) {
    c.header("RateLimit-Policy", `${s.limit};w=${windowSeconds};pk="tokens"`, { append: true });
    return;
  }
  c.header("RateLimit-Limit", String(s.limit));
  c.header("RateLimit-Remaining", String(s.remaining));
  c.header("RateLimit-Reset", String(s.resetSeconds));
  c.header("RateLimit-Policy", `${s.limit};w=${windowSeconds}${kind === "tokens" ? ';pk="tokens"' : ""}`, kind === "tokens" ? { append: true } : undefined);
}

function refused(c: Context<AppEnv>, err: unknown, windowSeconds: number, kind: "rpm" | "tokens"): never {
  if (err instanceof ApiError && err.code === "rate_limited") {
    const state = err.extra.ratelimit as LimitState | undefined;
    if (state) setRateLimitHeaders(c, state, windowSeconds, kind);
    c.var.deps.metrics?.rateLimited({ kind });
  }
  throw err;
}

export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { config } = c.var.deps;
  const rpm = c.var.auth.limits?.rpm ?? config.limits.rpm;
  if (rpm <= 0) return next();
  const subject = limitSubject(c);
  if (!subject) return next();
  let state: LimitState;
  try {
    state = await takeRequest(c.var.deps, { subject, rpm });
  } catch (err) {
    refused(c, err, 60, "rpm");
  }
  setRateLimitHeaders(c, state, 60);
  return next();
};

/**
 * The caller's daily token budget as the judge uses it: `check` (429 once used up, with RateLimit-*
 * headers) before an LLM call, `spend` after it. Null when unlimited.
 */
export function tokenBudget(c: Context<AppEnv>): { check(): Promise<void>; spend(tokens: number): Promise<void> } | null {
  const budget = c.var.auth.limits?.tokensPerDay ?? c.var.deps.config.limits.tokensPerDay;
  if (budget <= 0) return null;
  const subject = limitSubject(c);
  if (!subject) return null;
  const deps = c.var.deps;
  return {
    async check() {
      try {
        const state = await checkTokenBudget(deps, { subject, budget });
        // A batch checks once per item; the headers say what was left at the last check.
        setRateLimitHeaders(c, state, 86_400, "tokens");
      } catch (err) {
        refused(c, err, 86_400, "tokens");
      }
    },
    spend: (tokens) => spendTokens(deps, { subject, tokens }),
  };
}
