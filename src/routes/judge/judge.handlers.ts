import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-types";
import { judgeOne, runBatch, type JudgeCallContext, type JudgeRequest } from "../../judging";
import { presentJudgeResult } from "./judge.present";
import { ApiError } from "../../lib/errors";
import { validationError } from "../../lib/router";
import type { judge, judgeBatch } from "./judge.routes";
import { JudgeRequestSchema } from "./judge.schemas";
import { tokenBudget } from "../../middleware/rate-limit";

/** The judge call context, with the caller's token budget (429 before any LLM call once used up). */
function callContext(c: Context<AppEnv>): JudgeCallContext {
  const budget = tokenBudget(c);
  const deps = c.var.deps;
  return {
    deps,
    logger: c.var.logger,
    apiKeyId: c.var.auth.keyId,
    scope: c.var.auth.evaluatorIds,
    // A client that hangs up stops paying for LLM calls it will never read.
    signal: c.req.raw.signal,
    deadlineMs: deps.config.judgeDeadlineMs,
    ...(budget ? { budget } : {}),
  };
}

export const judgeHandler: RouteHandler<typeof judge, AppEnv> = async (c) => {
  try {
    const result = await judgeOne(callContext(c), c.req.valid("json"));
    return c.json(presentJudgeResult(result), 200);
  } catch (err) {
    // Pass the provider's back-off hint on, so clients wait instead of hammering both of us.
    const hint = err instanceof ApiError ? err.extra.retry_after_ms : undefined;
    if (typeof hint === "number") c.header("Retry-After", String(Math.max(1, Math.ceil(hint / 1000))));
    throw err;
  }
};

export const judgeBatchHandler: RouteHandler<typeof judgeBatch, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const items = body.items.map((raw): JudgeRequest | ApiError => {
    const parsed = JudgeRequestSchema.safeParse(raw);
    if (!parsed.success) return validationError(parsed.error.issues, "item");
    return { ...parsed.data, evaluator: parsed.data.evaluator ?? body.evaluator };
  });
  const outcomes = await runBatch(callContext(c), items, {
    concurrency: c.var.deps.config.batchConcurrency,
    maxSamples: c.var.deps.config.limits.batchMaxSamples,
    path: c.req.path,
    requestId: c.var.requestId,
  });
  return c.json(
    {
      results: outcomes.map((o) =>
        o.ok
          ? { index: o.index, ok: true as const, judgment: presentJudgeResult(o.result) }
          : { index: o.index, ok: false as const, error: o.error },
      ),
    },
    200,
  );
};
