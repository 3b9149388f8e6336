// The web console (issue 10): server-rendered hono/jsx pages under `/` and `/ui/*`, served by the
// same app as the API on Node and Workers. Pages call the same domain functions as the API.
import { Hono, type MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { csrf as originCheck } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { ApiError, ERROR_CODES } from "../lib/errors";
import { CLIENT_JS } from "./assets/client-js";
import { STYLES_CSS } from "./assets/styles";
import { ErrorBox } from "./components";
import { LoginPage } from "./pages/login";
import { page, render } from "./render";
import { registerEvaluationRoutes } from "./routes/evaluations.routes";
import { registerHeldoutRoutes } from "./routes/heldout.routes";
import { registerJudgmentRoutes } from "./routes/judgments.routes";
import { registerKeyRoutes } from "./routes/keys.routes";
import { registerOverviewRoutes } from "./routes/overview.routes";
import { registerTrainingRoutes } from "./routes/training.routes";
import { registerVersionRoutes } from "./routes/versions.routes";
import { csrfMatches, ensureCsrfToken, sessionAuth, signIn, signOut } from "./session";
import type { UiEnv } from "./ui-env";

function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

/**
 * gzip on Node. On Workers the edge compresses for each client (and workerd's request carries the
 * edge's Accept-Encoding, not the browser's), so compressing there would send gzip to clients that
 * never asked for it.
 */
const compressOffWorkers: MiddlewareHandler<UiEnv> = async (c, next) => {
  const onWorkers = typeof navigator !== "undefined" && navigator.userAgent === "Cloudflare-Workers";
  return onWorkers ? next() : compress()(c, next);
};

/** Where "Back" on an error page goes: the referring console page when it is ours. */
function backHref(referer: string | undefined, url: string): string {
  try {
    const r = new URL(referer ?? "");
    return r.origin === new URL(url).origin ? r.pathname + r.search : "/";
  } catch {
    return "/";
  }
}

/** CSRF token on every form post, then the session (or auth off); the login page is open. */
const guard: MiddlewareHandler<UiEnv> = async (c, next) => {
  const token = await ensureCsrfToken(c);
  c.set("csrf", token);
  if (c.req.method === "POST") {
    const body = await c.req.parseBody();
    if (!csrfMatches(token, body._csrf)) {
      throw new ApiError("forbidden", "the form's CSRF token is missing or out of date: reload the page and try again");
    }
  }
  if (c.req.path === "/ui/login") return next();
  const auth = await sessionAuth(c);
  if (!auth) {
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      const url = new URL(c.req.url);
      return c.redirect(`/ui/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    throw new ApiError("unauthorized", "your session has ended: sign in again");
  }
  c.set("auth", auth);
  return next();
};

export function createUiRouter() {
  const ui = new Hono<UiEnv>({ strict: false });

  // A JSON client calling `/` still gets a useful answer (the API lives under /v1).
  ui.get("/", async (c, next) => {
    const accept = c.req.header("accept") ?? "";
    if (/application\/json/.test(accept) && !/text\/html/.test(accept)) {
      return c.json({
        service: "selfjudge",
        api: "/v1",
        openapi: "/openapi.json",
        docs: "/docs",
        health: "/healthz",
        console: "/ (text/html)",
      });
    }
    return next();
  });

  // Static files: vendored Chart.js and the console's own script and stylesheet.
  ui.use("/ui/assets/*", compressOffWorkers);
  const asset = (type: string, body: () => Promise<string> | string) => async (c: import("hono").Context<UiEnv>) => {
    const text = await body();
    return c.body(text, 200, { "content-type": `${type}; charset=utf-8`, "cache-control": "public, max-age=3600" });
  };
  ui.get("/ui/assets/ui.js", asset("text/javascript", () => CLIENT_JS));
  ui.get("/ui/assets/ui.css", asset("text/css", () => STYLES_CSS));
  ui.get("/ui/assets/chart.umd.min.js", async (c) => {
    const assets = c.var.deps.uiAssets;
    if (!assets) throw new ApiError("not_found", "charts are not available in this runtime");
    return asset("text/javascript", () => assets.chartJs())(c);
  });

  ui.use("/", compressOffWorkers, guard);
  ui.use("/ui/*", compressOffWorkers, originCheck(), guard);

  ui.get("/ui/login", async (c) => {
    const nextPath = safeNext(c.req.query("next"));
    if (!c.var.deps.config.adminKey) return c.redirect(nextPath, 303);
    return page(c, <LoginPage csrf={c.var.csrf} next={nextPath} />);
  });
  ui.post("/ui/login", async (c) => {
    const body = await c.req.parseBody();
    const key = typeof body.key === "string" ? body.key.trim() : "";
    const nextPath = safeNext(typeof body.next === "string" ? body.next : undefined);
    if (await signIn(c, key)) return c.redirect(nextPath, 303);
    return page(c, <LoginPage csrf={c.var.csrf} next={nextPath} error="Unknown or revoked API key." />, 401);
  });
  ui.post("/ui/logout", (c) => {
    signOut(c);
    return c.redirect(c.var.deps.config.adminKey ? "/ui/login" : "/", 303);
  });

  registerOverviewRoutes(ui);
  registerVersionRoutes(ui);
  registerJudgmentRoutes(ui);
  registerEvaluationRoutes(ui);
  registerTrainingRoutes(ui);
  registerHeldoutRoutes(ui);
  registerKeyRoutes(ui);

  ui.onError((err, c) => {
    const apiErr =
      err instanceof ApiError
        ? err
        : err instanceof HTTPException && err.status === 403
          ? new ApiError("forbidden", "cross-site form posts are refused")
          : null;
    if (!apiErr) c.var.logger?.error({ err: String(err), stack: (err as Error).stack }, "console page failed");
    const status = apiErr?.status ?? 500;
    const title = apiErr ? ERROR_CODES[apiErr.code].title : "Something went wrong";
    const detail = apiErr ? apiErr.message : `internal error (request ${c.var.requestId})`;
    if (!c.var.auth || !c.var.csrf) {
      return page(
        c,
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <title>{title}</title>
            <link rel="stylesheet" href="/ui/assets/ui.css" />
          </head>
          <body>
            <main>
              <h1>{title}</h1>
              <ErrorBox>{detail}</ErrorBox>
              <a href="/">Back to the console</a>
            </main>
          </body>
        </html>,
        status,
      );
    }
    return render(
      c,
      title,
      () => (
        <>
          <ErrorBox>{detail}</ErrorBox>
          <a href={backHref(c.req.header("referer"), c.req.url)}>Back</a>
        </>
      ),
      { status: status as 500 },
    );
  });

  return ui;
}
