import { z } from "@hono/zod-openapi";

/**
 * One error taxonomy: it drives the documented OpenAPI error responses and the onError
 * handler, so what the docs promise is what the server sends.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, title: "Bad request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  rate_limited: { status: 429, title: "Too many requests" },
  judge_output_invalid: { status: 502, title: "Judge produced no valid verdict" },
  llm_failed: { status: 502, title: "LLM provider error" },
  llm_unavailable: { status: 503, title: "LLM provider unavailable" },
  service_unavailable: { status: 503, title: "Service unavailable" },
  judge_timeout: { status: 504, title: "Judge deadline exceeded" },
  internal: { status: 500, title: "Internal server error" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorStatus = (typeof ERROR_CODES)[ErrorCode]["status"];

export class ApiError extends Error {
  readonly status: ErrorStatus;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = ERROR_CODES[code].status;
  }
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://selfjudge.dev/problems/validation_failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "Field-level problems, for validation failures" }),
  })
  .passthrough()
  .openapi("Problem");

export type Problem = z.infer<typeof ProblemSchema>;

export function problemBody(err: ApiError, ctx: { path?: string; requestId?: string }): Problem {
  return {
    type: `https://selfjudge.dev/problems/${err.code}`,
    title: ERROR_CODES[err.code].title,
    status: err.status,
    detail: err.message,
    instance: ctx.path,
    request_id: ctx.requestId,
    ...err.extra,
  };
}

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

/** OpenAPI `responses` entries for the given error statuses. */
export function errorResponses<S extends number>(...statuses: S[]) {
  const out: Record<number, { description: string; content: typeof problemContent }> = {};
  for (const s of statuses) {
    const titles = Object.values(ERROR_CODES)
      .filter((e) => e.status === s)
      .map((e) => e.title);
    out[s] = { description: titles.join(" / ") || "Error", content: problemContent };
  }
  return out as Record<S, { description: string; content: typeof problemContent }>;
}

/** Errors every authenticated /v1 route can answer with. */
export const COMMON_ERRORS = [400, 401, 403, 413, 422, 429, 500, 503] as const;
