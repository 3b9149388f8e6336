import { completePairs, pendingPairsPage, type PairCompletion, type PairOutcome, type PairRow } from "../db/queries/training-items";
import { heldoutContentHash } from "../db/queries/heldout";
import { isLlmError } from "../llm/errors";
import { keysetPage, paged } from "../lib/concurrent";
import type { RunContext } from "./context";
import { generatorMessages, modificationMessages, parseModification } from "./prompts";
import { unitFor } from "../lib/rng";
import { WriteBehind } from "./write-behind";
import { errorForLog } from "../db/errors";

/**
 * Step 2, as in the paper: y_w is the generator's answer to x; a second call asks for x' (related
 * but different) and a good answer y_l to x', in fixed blocks. The two calls are independent,
 * so they run side by side. Malformed output or x' == x drops the pair (status says why).
 * A held-out pair becomes a synthetic held-out item with y_w on a seed-chosen side.
 */
export async function synthesize(ctx: RunContext): Promise<"done" | "stopped"> {
  const { deps, params } = ctx;
  const db = deps.db;
  const llm = ctx.llmFor("generate");
  const pageSize = deps.timing.pageSize;
  const source = paged(async (after) => keysetPage(await pendingPairsPage(db, ctx.runId, after, pageSize), pageSize, (p) => p.id));
  const writer = new WriteBehind<PairCompletion>((items) => completePairs(db, items));

  const { stopped } = await ctx.forEachItem(source, async (pair) => {
    const outcome = await synthesizeOne(ctx, llm, pair);
    if (outcome === null) return; // aborted: left pending for the next attempt
    let heldout;
    if (pair.split === "heldout" && outcome.status === "built") {
      const chosenFirst = unitFor(params.seed, "placement", pair.id) < 0.5;
      const [a, b] = chosenFirst ? [outcome.chosen, outcome.rejected] : [outcome.rejected, outcome.chosen];
      heldout = {
        evaluatorId: ctx.evaluator.id,
        instruction: pair.instruction,
        responseA: a,
        responseB: b,
        label: chosenFirst ? ("A" as const) : ("B" as const),
        category: pair.category,
        contentHash: await heldoutContentHash({ instruction: pair.instruction, response_a: a, response_b: b }),
        trainingRunId: ctx.runId,
      };
    }
    await writer.add([{ pairId: pair.id, outcome, ...(heldout ? { heldout } : {}) }]);
  }).finally(() => writer.flush());
  if (stopped) return "stopped";
  ctx.state.synthesized = true;
  await ctx.save();
  return "done";
}

async function synthesizeOne(
  ctx: RunContext,
  llm: ReturnType<RunContext["llmFor"]>,
  pair: PairRow,
): Promise<PairOutcome | null> {
  const model = ctx.params.generator_model;
  const signal = ctx.signal;
  const [answer, modification] = await Promise.allSettled([
    llm.complete({ model, messages: generatorMessages(pair.instruction), signal }),
    llm.complete({ model, messages: modificationMessages(pair.instruction), signal }),
  ]);
  if (ctx.signal.aborted) return null;
  for (const r of [answer, modification]) {
    if (r.status === "rejected" && !isLlmError(r.reason)) throw r.reason;
  }
  const chosen = answer.status === "fulfilled" ? (answer.value.texts[0] ?? "") : null;
  const raw = modification.status === "fulfilled" ? (modification.value.texts[0] ?? "") : null;
  if (chosen === null || raw === null) {
    const reason = [answer, modification].find((r) => r.status === "rejected") as PromiseRejectedResult;
    ctx.log.warn({ pair: pair.id, err: errorForLog(reason.reason) }, "pair synthesis failed");
    return { status: "failed", chosen, rawSynthesis: raw };
  }
  if (chosen.trim() === "") return { status: "malformed", chosen, rawSynthesis: raw };
  const parsed = parseModification(raw, pair.instruction);
  if (!parsed.ok) return { status: parsed.reason, chosen, rawSynthesis: raw };
  return { status: "built", chosen, modifiedInstruction: parsed.modified, rejected: parsed.answer, rawSynthesis: raw };
}
