import pLimit from "p-limit";
import { ApiError, problemBody, type Problem } from "../lib/errors";
import { judgeOne, type JudgeCallContext, type JudgeRequest, type JudgeResult } from "./judge-one";
import { resolveTarget, type JudgeTarget } from "./resolve";

export type BatchItemOutcome =
  | { index: number; ok: true; result: JudgeResult }
  | { index: number; ok: false; error: Problem };

/**
 * Judges the items with at most `concurrency` in flight. Items that failed validation arrive as
 * an ApiError and are reported as such; no item's failure affects another.
 */
export async function runBatch(
  ctx: JudgeCallContext,
  items: Array<JudgeRequest | ApiError>,
  opts: { concurrency: number; path: string; requestId?: string },
): Promise<BatchItemOutcome[]> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const problem = (err: ApiError) => problemBody(err, { path: opts.path, requestId: opts.requestId });
  // One lookup per (evaluator, version) selector for the whole batch: a hundred items for one
  // evaluator cost two queries, not two hundred, and all of them are judged by the same version.
  const targets = new Map<string, Promise<JudgeTarget>>();
  const resolve = (evaluator: string | undefined, version: string | undefined) => {
    const key = `${evaluator ?? ""}\u0000${version ?? ""}`;
    let target = targets.get(key);
    if (!target) {
      target = resolveTarget(ctx.deps.database.db, evaluator, version, ctx.scope);
      targets.set(key, target);
    }
    return target;
  };
  const itemCtx: JudgeCallContext = { ...ctx, resolve };
  return Promise.all(
    items.map((item, index) =>
      item instanceof ApiError
        ? Promise.resolve<BatchItemOutcome>({ index, ok: false, error: problem(item) })
        : limit(async (): Promise<BatchItemOutcome> => {
            try {
              return { index, ok: true, result: await judgeOne(itemCtx, item) };
            } catch (err) {
              if (err instanceof ApiError) return { index, ok: false, error: problem(err) };
              ctx.logger.error({ err: String(err), stack: (err as Error).stack, index }, "batch item failed");
              return { index, ok: false, error: problem(new ApiError("internal", "internal server error")) };
            }
          }),
    ),
  );
}
