import {
  builtTrainPairsPage,
  insertExamples,
  judgmentsOfPairs,
  type JudgmentRow,
  type NewExample,
  type PairRow,
} from "../db/queries/training-items";
import { dbNow } from "../db/queries/training";
import type { VersionRow } from "../db/queries/versions";
import { renderJudgeMessages } from "../judging";
import type { RunContext } from "./context";
import { rngFor } from "../lib/rng";
import { balanceLabels, chooseDpo, decideKept, labelOf, type SampledJudgment } from "./selection";
import { iterState } from "./state";

/** Passes over the built pairs a page at a time, with each page's judgments grouped per pair. */
async function forEachAnnotatedPage(
  ctx: RunContext,
  iteration: number,
  fn: (items: Array<{ pair: PairRow; judgments: SampledJudgment[] }>) => Promise<void>,
): Promise<void> {
  const pageSize = ctx.deps.timing.pageSize;
  for (let after: string | null = null; ; ) {
    const pairs = await builtTrainPairsPage(ctx.deps.db, ctx.runId, after, pageSize);
    const rows = await judgmentsOfPairs(ctx.deps.db, ctx.runId, iteration, pairs.map((p) => p.id));
    const byPair = new Map<string, JudgmentRow[]>();
    for (const r of rows) byPair.set(r.pairId, [...(byPair.get(r.pairId) ?? []), r]);
    await fn(
      pairs
        .filter((p) => byPair.has(p.id))
        .map((pair) => ({ pair, judgments: byPair.get(pair.id)!.map(toSampled) })),
    );
    if (pairs.length < pageSize) return;
    after = pairs.at(-1)!.id;
  }
}

function toSampled(r: JudgmentRow): SampledJudgment {
  return { sampleIndex: r.sampleIndex, order: r.order, text: r.text, picksChosen: r.picksChosen, vote: r.vote };
}

/**
 * Step 3b. Per pair, one judgment chosen at random among those that picked y_w (seeded by run,
 * iteration and pair, so a re-run chooses the same); pairs without one are dropped; the kept set
 * is cut to exactly as many A-wins as B-wins. Every pair with a right and a wrong judgment of
 * the same prompt also yields a DPO example. Prompts are rendered with the base version's
 * template and no demonstrations: what a fine-tuned judge will see when serving.
 *
 * With `consistency_filter` (J1 style) a pair is kept only when the annotator was right in both
 * answer orders; the kept judgment is still drawn from all its correct ones, and a dropped pair
 * yields no DPO example either (its right judgments may be right by position). The count of
 * pairs the filter dropped is `dropped_inconsistent`.
 */
export async function selectExamples(ctx: RunContext, iteration: number, base: VersionRow): Promise<void> {
  const seed = ctx.params.seed;
  const keepRand = (pairId: string) => rngFor(seed, iteration, pairId, "keep");
  const prompt = (pair: PairRow, order: "ab" | "ba") => {
    const [a, b] = order === "ab" ? [pair.chosen ?? "", pair.rejected ?? ""] : [pair.rejected ?? "", pair.chosen ?? ""];
    return renderJudgeMessages(base.promptTemplate, {
      criteria: ctx.evaluator.criteria,
      instruction: pair.instruction,
      responseA: a,
      responseB: b,
    });
  };

  const filter = ctx.params.consistency_filter === true;
  const decide = (pairId: string, judgments: SampledJudgment[]) => decideKept(judgments, keepRand(pairId), filter);
  const kept: Array<{ pairId: string; label: "A" | "B" }> = [];
  let inconsistent = 0;
  await forEachAnnotatedPage(ctx, iteration, async (items) => {
    const dpo: NewExample[] = [];
    for (const { pair, judgments } of items) {
      const decision = decide(pair.id, judgments);
      if (decision.kind === "inconsistent") {
        inconsistent += 1;
        continue;
      }
      const k = decision.kind === "kept" ? decision.judgment : null;
      if (k) kept.push({ pairId: pair.id, label: labelOf(k.order) });
      const d = chooseDpo(judgments, k, rngFor(seed, iteration, pair.id, "dpo"));
      if (d) {
        dpo.push({
          runId: ctx.runId,
          iteration,
          pairId: pair.id,
          kind: "dpo",
          order: d.order,
          label: labelOf(d.order),
          prompt: prompt(pair, d.order),
          chosenJudgment: d.chosen.text,
          rejectedJudgment: d.rejected.text,
        });
      }
    }
    await insertExamples(ctx.deps.db, dpo);
  });

  const balanced = new Set(balanceLabels(kept, `${seed}:${iteration}:balance`).map((k) => k.pairId));
  if (balanced.size === 0) {
    const failed = iterState(ctx.state, iteration).annotate_failed ?? 0;
    throw new Error(
      `iteration ${iteration}: no usable judgment (${kept.length} pairs had a judgment picking y_w, and balancing A and B wins leaves none` +
        `${filter ? `; the consistency filter dropped ${inconsistent} pairs right in one answer order only` : ""}` +
        `${failed > 0 ? `; ${failed} pairs could not be annotated because LLM calls failed` : ""})`,
    );
  }
  await forEachAnnotatedPage(ctx, iteration, async (items) => {
    const sft: NewExample[] = [];
    for (const { pair, judgments } of items) {
      if (!balanced.has(pair.id)) continue;
      const decision = decide(pair.id, judgments);
      if (decision.kind !== "kept") continue;
      const k = decision.judgment;
      sft.push({
        runId: ctx.runId,
        iteration,
        pairId: pair.id,
        kind: "sft",
        order: k.order,
        label: labelOf(k.order),
        prompt: prompt(pair, k.order),
        chosenJudgment: k.text,
        rejectedJudgment: null,
      });
    }
    await insertExamples(ctx.deps.db, sft);
  });
  const st = iterState(ctx.state, iteration);
  st.selected = true;
  st.dropped_inconsistent = inconsistent;
  // Database time: it is compared with versions.created_at, which the database sets.
  st.selected_at = (await dbNow(ctx.deps.db)).toISOString();
  await ctx.save();
}
