import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import type { AppEnv } from "../app-types";
import { ApiError } from "./errors";

type ZodIssueLike = { path: PropertyKey[]; message: string };

export function validationError(issues: ZodIssueLike[], where?: string): ApiError {
  const errors = issues.map((i) => ({
    path: i.path.map(String).join(".") || (where ?? "body"),
    message: i.message,
  }));
  const first = errors[0];
  const detail = first ? `${first.path}: ${first.message}` : "request did not validate";
  return new ApiError("validation_failed", detail, { errors });
}

// Shared validation hook: every route reports bad input the same way (422 problem+json).
const defaultHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    throw validationError(result.error.issues as ZodIssueLike[], result.target);
  }
};

export function createRouter() {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook });
}

export type AppRouter = ReturnType<typeof createRouter>;
