// Console sign-in (speaks HTTP, touches the database to check keys). A session is a signed,
// HttpOnly, SameSite=Strict cookie naming the key (never the secret); it dies with the key, with
// a new SELFJUDGE_ADMIN_KEY (the signing secret derives from it) and after SESSION_TTL_S.
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { AuthContext } from "../app-types";
import { findActiveKeyByHash } from "../db/queries/keys";
import { findActiveKeyById } from "../db/queries/ui-session";
import { sha256Hex } from "../lib/hash";
import type { UiEnv } from "./ui-env";

export const SESSION_COOKIE = "sj_session";
export const CSRF_COOKIE = "sj_csrf";
export const SESSION_TTL_S = 12 * 3600;
const ADMIN_ENV = "admin-env";

type SessionBody = { k: string; exp: number };

function secret(c: Context<UiEnv>): string {
  // Auth off (loopback): the CSRF cookie is still signed, with a fixed secret; nothing else is.
  return `selfjudge-console:${c.var.deps.config.adminKey ?? "loopback"}`;
}

function isLoopbackRequest(c: Context<UiEnv>): boolean {
  const host = new URL(c.req.url).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

function cookieOptions(c: Context<UiEnv>, maxAge?: number) {
  return {
    path: "/",
    httpOnly: true,
    secure: !isLoopbackRequest(c),
    sameSite: "Strict" as const,
    ...(maxAge !== undefined ? { maxAge } : {}),
  };
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** This browser's CSRF token: kept in a signed cookie, echoed by every form (double submit). */
export async function ensureCsrfToken(c: Context<UiEnv>): Promise<string> {
  const existing = await getSignedCookie(c, secret(c), CSRF_COOKIE);
  if (typeof existing === "string" && existing.length >= 16) return existing;
  const token = randomToken();
  await setSignedCookie(c, CSRF_COOKIE, token, secret(c), cookieOptions(c));
  return token;
}

export function csrfMatches(expected: string, sent: unknown): boolean {
  return typeof sent === "string" && timingSafeEqual(sent, expected);
}

/** Who the console user is: everyone is admin with auth off; otherwise the signed session, or null. */
export async function sessionAuth(c: Context<UiEnv>): Promise<AuthContext | null> {
  const { config, database, clock } = c.var.deps;
  if (!config.adminKey) return { scope: "admin", actor: null, keyId: null, evaluatorIds: null };
  const raw = await getSignedCookie(c, secret(c), SESSION_COOKIE);
  if (typeof raw !== "string") return null;
  let body: SessionBody;
  try {
    body = JSON.parse(atob(raw)) as SessionBody;
  } catch {
    return null;
  }
  if (typeof body.k !== "string" || typeof body.exp !== "number" || body.exp * 1000 < clock.now().getTime()) return null;
  if (body.k === ADMIN_ENV) return { scope: "admin", actor: ADMIN_ENV, keyId: null, evaluatorIds: null };
  const key = await findActiveKeyById(database.db, body.k);
  return key ? { scope: key.scope, actor: key.id, keyId: key.id, evaluatorIds: key.evaluatorIds ?? null } : null;
}

/** Checks an API key and sets the session cookie; false when the key is unknown or revoked. */
export async function signIn(c: Context<UiEnv>, apiKey: string): Promise<boolean> {
  const { config, database, clock } = c.var.deps;
  if (!config.adminKey) return true;
  let k: string | null = null;
  if (timingSafeEqual(apiKey, config.adminKey)) k = ADMIN_ENV;
  else {
    const key = apiKey ? await findActiveKeyByHash(database.db, await sha256Hex(apiKey)) : undefined;
    if (key) k = key.id;
  }
  if (!k) return false;
  const body: SessionBody = { k, exp: Math.floor(clock.now().getTime() / 1000) + SESSION_TTL_S };
  await setSignedCookie(c, SESSION_COOKIE, btoa(JSON.stringify(body)), secret(c), cookieOptions(c, SESSION_TTL_S));
  // A fresh form token after sign-in, so a token planted before it is worthless.
  await setSignedCookie(c, CSRF_COOKIE, randomToken(), secret(c), cookieOptions(c));
  return true;
}

export function signOut(c: Context<UiEnv>): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
  deleteCookie(c, CSRF_COOKIE, cookieOptions(c));
}
