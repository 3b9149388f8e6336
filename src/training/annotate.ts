import { annotatedPairIds, builtTrainPairsPage, insertJudgments, type NewJudgment, type PairRow } from "../db/queries/training-items";
import type { VersionRow } from "../db/queries/versions";
import { sampleJudgments } from "../judging";
import { versionSpec } from "../judging/resolve";
import { isLlmError } from "../llm/errors";
import { keysetPage, paged } from "../lib/concurrent";
import type { RunContext } from "./context";
import { iterState } from "./state";
import { WriteBehind } from "./write-behind";
import { errorForLog } from "../db/errors";

/**
 * Step 3a, rejection sampling: N judgments per pair from the current evaluator, half with y_w
 * shown as A and half with it shown as B, at the run's temperature / top-p. Every sample is
 * stored (for audit and DPO) in one statement per pair, so a pair is annotated fully or not at
 * all, and a resumed run skips the pairs that already are.
 */
export async function annotate(ctx: RunContext, iteration: number, annotator: VersionRow): Promise<"done" | "stopped"> {
  const { deps, params } = ctx;
  const db = deps.db;
  const llm = ctx.llmFor("judge");
  // The run's temperature and top_p are passed on every call, so the version's own never apply.
  const full = versionSpec({ evaluator: ctx.evaluator, version: annotator });
  // A jury annotates with its first member: rejection sampling needs one judge's samples.
  const first = full.members?.[0];
  const judge = first
    ? { ...full, model: first.model, base_url: first.base_url ?? null, api_key_env: first.api_key_env ?? null, members: null }
    : full;
  // Annotation keeps votes and texts only, never a confidence: asking for log-probabilities
  // here would cost tokens and bandwidth, and some providers refuse them outright.
  const { logprobs: _unused, ...samplingOnly } = judge.params;
  const spec = { ...judge, params: samplingOnly };
  const pageSize = deps.timing.pageSize;
  const nAb = Math.ceil(params.samples_per_pair / 2);
  const nBa = params.samples_per_pair - nAb;
  const st = iterState(ctx.state, iteration);
  let failed = 0;

  // Built pairs by id, minus those this iteration already annotated (a resumed run skips them).
  const source = paged(async (after) => {
    const page = await builtTrainPairsPage(db, ctx.runId, after, pageSize);
    const done = await annotatedPairIds(db, ctx.runId, iteration, page.map((p) => p.id));
    return { items: page.filter((p) => !done.has(p.id)), next: keysetPage(page, pageSize, (p) => p.id).next };
  });
  const writer = new WriteBehind<NewJudgment>((rows) => insertJudgments(db, rows));
  const { stopped } = await ctx.forEachItem(source, async (pair: PairRow) => {
    const input = { instruction: pair.instruction, response_a: pair.chosen ?? "", response_b: pair.rejected ?? "" };
    let rows: NewJudgment[];
    try {
      const opts = { temperature: params.temperature, top_p: params.top_p, signal: ctx.signal };
      const [ab, ba] = await Promise.all([
        sampleJudgments(llm, spec, input, { order: "ab", n: nAb, ...opts }),
        nBa > 0 ? sampleJudgments(llm, spec, input, { order: "ba", n: nBa, ...opts }) : null,
      ]);
      // Caller frame: response_a is y_w, so a judgment is correct exactly when it votes A there.
      rows = [
        ...ab.judgments.map((j) => ({ sampleIndex: j.index, order: "ab" as const, j })),
        ...(ba?.judgments ?? []).map((j) => ({ sampleIndex: nAb + j.index, order: "ba" as const, j })),
      ].map(({ sampleIndex, order, j }) => ({
        runId: ctx.runId,
        iteration,
        pairId: pair.id,
        sampleIndex,
        order,
        text: j.text,
        vote: j.raw_vote,
        picksChosen: j.vote === "A",
      }));
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (!isLlmError(err)) throw err;
      failed += 1;
      ctx.log.warn({ pair: pair.id, err: errorForLog(err) }, "annotation failed; the pair is skipped");
      return;
    }
    await writer.add(rows);
  }).finally(() => writer.flush());
  st.annotate_failed = (st.annotate_failed ?? 0) + failed;
  if (stopped) {
    await ctx.save();
    return "stopped";
  }
  st.annotated = true;
  await ctx.save();
  return "done";
}
