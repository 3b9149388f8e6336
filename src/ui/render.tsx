// Shared glue of console handlers (speaks HTTP): page context, rendering, flash, admin checks.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { ApiError } from "../lib/errors";
import { Flash } from "./components";
import { Layout, type PageCtx } from "./layout";
import type { UiEnv } from "./ui-env";

const FLASH_COOKIE = "sj_flash";

export function pageCtx(c: Context<UiEnv>): PageCtx {
  return { auth: c.var.auth, authEnabled: Boolean(c.var.deps.config.adminKey), csrf: c.var.csrf, path: c.req.path };
}

export function render(
  c: Context<UiEnv>,
  title: string,
  body: (ctx: PageCtx) => Child,
  opts: { charts?: boolean; status?: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 422 | 500 | 502 | 503 } = {},
) {
  const ctx = pageCtx(c);
  const flash = getCookie(c, FLASH_COOKIE);
  if (flash) deleteCookie(c, FLASH_COOKIE, { path: "/" });
  c.header("cache-control", "no-store");
  return page(
    c,
    <Layout ctx={ctx} title={title} charts={opts.charts}>
      <Flash message={flash ? decodeURIComponent(flash) : null} />
      {body(ctx)}
    </Layout>,
    opts.status ?? 200,
  );
}

/** A whole HTML document (with its doctype, so browsers render in standards mode). */
export function page(c: Context<UiEnv>, doc: Child, status: number = 200) {
  return c.html(html`<!doctype html>${doc}`, status as 200);
}

/** Redirect after a successful form post (303), with a one-time message for the next page. */
export function doneRedirect(c: Context<UiEnv>, to: string, message: string) {
  setCookie(c, FLASH_COOKIE, encodeURIComponent(message), { path: "/", httpOnly: true, sameSite: "Strict", maxAge: 60 });
  return c.redirect(to, 303);
}

export function requireAdmin(c: Context<UiEnv>): void {
  if (c.var.auth.scope !== "admin") throw new ApiError("forbidden", "this action needs a key with the 'admin' scope");
}

/** A form field as a trimmed string ('' when absent or a file). */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === "string" ? v.trim() : "";
}

/** The actor the audit trail records for this session (as the API does). */
export function actor(c: Context<UiEnv>): string | null {
  return c.var.auth.actor;
}
