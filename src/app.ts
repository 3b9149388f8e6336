import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./app-types";
import type { AppDeps } from "./deps";
import { dataExceptionCode, errorForLog, isConnectionError } from "./db/errors";
import { ApiError, problemBody } from "./lib/errors";
import { idempotency } from "./middleware/idempotency";
import { inputHygiene } from "./middleware/input-hygiene";
import { CONSOLE_DATASET_UPLOAD, isStreamedUpload } from "./lib/streamed-upload";
import { rateLimit } from "./middleware/rate-limit";
import { metricsHandler } from "./middleware/metrics";
import { createRouter } from "./lib/router";
import { authenticate } from "./middleware/auth";
import { scopePolicy } from "./middleware/scope-policy";
import { registerRoutes } from "./routes";
import { createUiRouter } from "./ui/ui.index";

export const API_VERSION = "0.1.0";

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // A lost or refused database connection is transient: 503 + Retry-After, never a 500.
  if (isConnectionError(err)) {
    return new ApiError("service_unavailable", "the database is unavailable; retry shortly", { retry_after_ms: 2000 });
  }
  // A value the database refused (out-of-range date, untranslatable character) is bad input.
  const dataCode = dataExceptionCode(err);
  if (dataCode) return new ApiError("validation_failed", `a value in the request cannot be stored (SQLSTATE ${dataCode})`);
  if (err instanceof HTTPException) {
    if (err.status === 413) return new ApiError("payload_too_large", err.message || "request body too large");
    if (err.status === 400) return new ApiError("bad_request", err.message || "bad request");
    if (err.status === 401) return new ApiError("unauthorized", err.message || "unauthorized");
    if (err.status === 404) return new ApiError("not_found", err.message || "not found");
    // The OpenAPI router's media-type gate: a body that is not declared JSON.
    if (err.status === 415) return new ApiError("unsupported_media_type", "send the body as application/json");
  }
  return new ApiError("internal", "internal server error");
}

/** Builds the HTTP app from injected services; no globals, no I/O at import time. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ strict: false });

  app.use("*", requestId());
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    const logger = deps.logger.child({ request_id: c.var.requestId });
    c.set("logger", logger);
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    // The path only: query strings and bodies may carry user text and never reach the logs.
    logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms) }, "request");
    deps.metrics?.httpRequest({ method: c.req.method, route: c.req.routePath, status: c.res.status, seconds: ms / 1000 });
  });
  const defaultBodyLimit = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: () => {
      throw new ApiError("payload_too_large", `request body exceeds ${deps.config.bodyLimitBytes} bytes`);
    },
  });
  // Dataset uploads have their own, larger limit (DATASET_BODY_LIMIT_BYTES): the API's streamed
  // upload applies it in its route; the console's form upload (multipart, parsed before its CSRF
  // check) gets it here.
  const consoleDatasetLimit = bodyLimit({
    maxSize: deps.config.datasets.bodyLimitBytes,
    onError: () => {
      throw new ApiError("payload_too_large", `dataset upload exceeds DATASET_BODY_LIMIT_BYTES (${deps.config.datasets.bodyLimitBytes} bytes)`);
    },
  });
  app.use("*", (c, next) =>
    isStreamedUpload(c.req.method, c.req.path) ? next() : c.req.path === CONSOLE_DATASET_UPLOAD ? consoleDatasetLimit(c, next) : defaultBodyLimit(c, next),
  );
  // Order matters: who is calling (auth) → within its rate (counted even when refused later) →
  // allowed for its scope → is the input storable (hygiene) → a replay of an Idempotency-Key → the route.
  app.use("/v1/*", authenticate, rateLimit, scopePolicy, inputHygiene, idempotency);
  app.get("/metrics", authenticate, scopePolicy, metricsHandler);

  const problem = (c: Context<AppEnv>, err: ApiError) => {
    const headers: Record<string, string> = { "content-type": "application/problem+json" };
    const retryMs = err.extra.retry_after_ms;
    if (typeof retryMs === "number" && !c.res.headers.get("retry-after")) headers["retry-after"] = String(Math.max(1, Math.ceil(retryMs / 1000)));
    // The unread rest of an oversized body would be parsed as the next request: close instead.
    if (err.status === 413) headers.connection = "close";
    return c.body(JSON.stringify(problemBody(err, { path: c.req.path, requestId: c.var.requestId })), err.status, headers);
  };
  app.onError((err, c) => {
    const apiErr = toApiError(err);
    // Database errors are described by code, redacted message and stack frames: never the failed SQL's parameters.
    if ((apiErr.status >= 500 || apiErr.code === "validation_failed") && !(err instanceof ApiError)) {
      c.var.logger?.[apiErr.status >= 500 ? "error" : "warn"]({ err: errorForLog(err) }, "request failed");
    }
    return problem(c, apiErr);
  });
  app.notFound((c) => problem(c, new ApiError("not_found", `no route for ${c.req.method} ${c.req.path}`)));

  // The web console (issue 10): `/` and `/ui/*`, HTML; the API stays under /v1.
  app.route("/", createUiRouter());

  const api = createRouter();
  registerRoutes(api);
  app.route("/", api);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "SELFJUDGE_ADMIN_KEY or a key created with POST /v1/keys",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "selfjudge",
      version: API_VERSION,
      description:
        "Position-debiased pairwise LLM judge that improves itself from your traffic (Self-Taught Evaluator).",
    },
    security: [{ bearerAuth: [] }],
  });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "selfjudge API" }));

  return app;
}

export type App = ReturnType<typeof createApp>;
