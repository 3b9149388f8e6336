import pLimit from "p-limit";
import { ApiError, problemBody, type Problem } from "../lib/errors";
import { judgeOne, type JudgeCallContext, type JudgeRequest, type JudgeResult } from "./judge-one";
import { effectiveParams, resolveTarget, type JudgeTarget } from "./resolve";
import { errorForLog } from "../db/errors";

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
  opts: { concurrency: number; path: string; requestId?: string; maxSamples?: number },
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
  if (opts.maxSamples !== undefined) await checkBatchSize(items, resolve, opts.maxSamples);
  return Promise.all(
    items.map((item, index) =>
      item instanceof ApiError
        ? Promise.resolve<BatchItemOutcome>({ index, ok: false, error: problem(item) })
        : limit(async (): Promise<BatchItemOutcome> => {
            try {
              return { index, ok: true, result: await judgeOne(itemCtx, item) };
            } catch (err) {
              if (err instanceof ApiError) return { index, ok: false, error: problem(err) };
              ctx.logger.error({ err: errorForLog(err), index }, "batch item failed");
              return { index, ok: false, error: problem(new ApiError("internal", "internal server error")) };
            }
          }),
    ),
  );
}

/**
 * Refuses (422, before any LLM call) a batch whose items ask for more judge samples in total than
 * `max` (JUDGE_BATCH_MAX_SAMPLES): each item costs samples × orders (2 with swap), with the
 * version's defaults where the item sets none. Items whose evaluator does not resolve cost nothing.
 */
async function checkBatchSize(
  items: Array<JudgeRequest | ApiError>,
  resolve: (evaluator: string | undefined, version: string | undefined) => Promise<JudgeTarget>,
  max: number,
): Promise<void> {
  let total = 0;
  for (const item of items) {
    if (item instanceof ApiError) continue;
    const target = await resolve(item.evaluator, item.version).catch(() => null);
    if (!target) continue;
    const p = effectiveParams(target.version, item);
    total += p.samples * (p.swap ? 2 : 1);
  }
  if (total > max) {
    throw new ApiError(
      "validation_failed",
      `items: the batch asks for ${total} judge samples (items × samples × orders); the limit is ${max} (JUDGE_BATCH_MAX_SAMPLES)`,
      { errors: [{ path: "items", message: `${total} judge samples requested, at most ${max}` }] },
    );
  }
}
