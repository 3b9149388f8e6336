import { countPairs, insertPendingPairs, type NewPendingPair } from "../db/queries/training-items";
import {
  assignSplit,
  countPool,
  countSplit,
  heldoutAlreadyBuilt,
  instructionsOf,
  poolPage,
  setCategory,
  type PoolRow,
} from "../db/queries/training-pool";
import { isLlmError } from "../llm/errors";
import { classifierMessages, parseCategory } from "./categories";
import type { RunContext } from "./context";
import { hexFraction, unitFor } from "../lib/rng";
import { stratifiedQuotas } from "./selection";

// Candidates drawn per wanted training instruction, so every category has room to fill its quota.
const OVERSAMPLE = 3;

type Candidate = { id: string; split: "train" | "heldout"; category: string; u: number };

/**
 * Step 1. Streams the pool (up to the run's starting cursor) twice, a page at a time:
 * 1. gives every row without a split one, by its instruction hash: held-out with probability
 *    `heldout_fraction`, else train. A split is never changed afterwards, so an instruction
 *    that was held out once is never trained on, whatever later runs ask.
 * 2. draws a seeded random subset of candidates (length-filtered), classifies the ones without a
 *    category (stored, never recomputed), then selects `sample_size` training instructions
 *    stratified by category weight and `heldout_size` held-out ones not synthesised before.
 */
export async function curate(ctx: RunContext): Promise<"done" | "stopped"> {
  const { deps, params } = ctx;
  const db = deps.db;
  const evaluatorId = ctx.evaluator.id;
  const pageSize = deps.timing.pageSize;
  const maxSeq = ctx.run.poolSeqAtStart ?? 0;

  // The selection is written in one transaction: if it is there, curation finished.
  if ((await countPairs(db, ctx.runId)) > 0) return finish(ctx, ctx.state.curate_stats ?? {});

  const poolTotal = await countPool(db, evaluatorId, maxSeq);
  const total = poolTotal * 2;
  let done = ctx.state.split_cursor === undefined ? 0 : (ctx.progress.curate?.done ?? 0);

  // Pass 1 keeps its cursor in the run state, so a work slice that ends mid-pool resumes there.
  while (!ctx.state.split_done) {
    const after = ctx.state.split_cursor ?? 0;
    const page = await poolPage(db, evaluatorId, { afterSeq: after, maxSeq, limit: pageSize });
    const held: string[] = [];
    const train: string[] = [];
    for (const r of page) if (r.split === null) (hexFraction(r.hash) < params.heldout_fraction ? held : train).push(r.id);
    await assignSplit(db, held, "heldout");
    await assignSplit(db, train, "train");
    done += page.length;
    ctx.progress.curate = { done, total };
    if (page.length < pageSize) ctx.state.split_done = true;
    else ctx.state.split_cursor = page.at(-1)!.seq;
    await ctx.save();
    ctx.noteProgress();
    if (!ctx.state.split_done && ctx.shouldStop()) return "stopped";
  }
  done = poolTotal;

  const trainAvailable = await countSplit(db, evaluatorId, maxSeq, "train");
  const heldAvailable = await countSplit(db, evaluatorId, maxSeq, "heldout");
  const pTrain = trainAvailable === 0 ? 0 : Math.min(1, (OVERSAMPLE * params.sample_size) / trainAvailable);
  const pHeld = heldAvailable === 0 ? 0 : Math.min(1, (2 * params.heldout_size) / heldAvailable);
  const stats = { pool: poolTotal, train_split: trainAvailable, heldout_split: heldAvailable, too_short: 0, too_long: 0, classify_failed: 0 };
  const candidates: Candidate[] = [];
  const llm = ctx.llmFor("classify");

  async function* toClassify(): AsyncGenerator<{ row: PoolRow; split: "train" | "heldout"; u: number; instruction: string }> {
    for (let after = 0; ; ) {
      const page = await poolPage(db, evaluatorId, { afterSeq: after, maxSeq, limit: pageSize });
      const picked: Array<{ row: PoolRow; split: "train" | "heldout"; u: number }> = [];
      for (const row of page) {
        if (row.split !== "train" && row.split !== "heldout") continue;
        if (row.length < params.min_instruction_chars) stats.too_short += 1;
        else if (row.length > params.max_instruction_chars) stats.too_long += 1;
        else {
          const u = unitFor(params.seed, row.split, row.hash);
          if (u < (row.split === "train" ? pTrain : pHeld)) picked.push({ row, split: row.split, u });
        }
      }
      const built = await heldoutAlreadyBuilt(db, picked.filter((p) => p.split === "heldout").map((p) => p.row.id));
      const fresh = picked.filter((p) => !built.has(p.row.id));
      const unclassified = fresh.filter((p) => p.row.category === null);
      for (const p of fresh) if (p.row.category !== null) candidates.push({ id: p.row.id, split: p.split, category: p.row.category, u: p.u });
      const texts = await instructionsOf(db, unclassified.map((p) => p.row.id));
      for (const p of unclassified) yield { ...p, instruction: texts.get(p.row.id) ?? "" };
      done += page.length;
      await ctx.setProgress("curate", done, total);
      if (page.length < pageSize) return;
      after = page.at(-1)!.seq;
    }
  }

  const { stopped } = await ctx.forEachItem(toClassify(), async (item) => {
    try {
      const res = await llm.complete({
        model: params.generator_model,
        messages: classifierMessages(item.instruction),
        temperature: 0,
        max_tokens: 16,
        signal: ctx.signal,
      });
      const category = parseCategory(res.texts[0] ?? "");
      await setCategory(db, item.row.id, category);
      candidates.push({ id: item.row.id, split: item.split, category, u: item.u });
    } catch (err) {
      if (!isLlmError(err)) throw err;
      // Left unclassified: this run skips it, a later run tries again.
      stats.classify_failed += 1;
    }
  });
  if (stopped) return "stopped";

  const chosen = selectCandidates(candidates, ctx.params);
  const texts = new Map<string, string>();
  for (let i = 0; i < chosen.length; i += pageSize) {
    for (const [id, t] of await instructionsOf(db, chosen.slice(i, i + pageSize).map((c) => c.id))) texts.set(id, t);
  }
  const rows: NewPendingPair[] = chosen.map((c) => ({ trafficId: c.id, split: c.split, category: c.category, instruction: texts.get(c.id) ?? "" }));
  await insertPendingPairs(db, ctx.runId, rows);
  return finish(ctx, {
    ...stats,
    candidates: candidates.length,
    selected: chosen.filter((c) => c.split === "train").length,
    heldout_selected: chosen.filter((c) => c.split === "heldout").length,
  });
}

async function finish(ctx: RunContext, stats: Record<string, number>): Promise<"done"> {
  ctx.state.curated = true;
  ctx.state.curate_stats = stats;
  const p = ctx.progress.curate;
  ctx.progress.curate = { done: p?.total ?? 0, total: p?.total ?? 0 };
  await ctx.save();
  return "done";
}

/** Stratified training selection and the held-out draw, both by ascending seeded rank. */
export function selectCandidates(
  candidates: readonly Candidate[],
  params: { sample_size: number; heldout_size: number; category_weights: Record<string, number> },
): Candidate[] {
  const byRank = (a: Candidate, b: Candidate) => a.u - b.u || (a.id < b.id ? -1 : 1);
  const heldout = candidates.filter((c) => c.split === "heldout").sort(byRank).slice(0, params.heldout_size);
  const byCategory = new Map<string, Candidate[]>();
  for (const c of candidates) {
    if (c.split !== "train") continue;
    const list = byCategory.get(c.category);
    if (list) list.push(c);
    else byCategory.set(c.category, [c]);
  }
  const available = new Map([...byCategory].map(([k, v]) => [k, v.length]));
  const quotas = stratifiedQuotas(available, params.category_weights, params.sample_size);
  const train = [...byCategory].flatMap(([cat, list]) => list.sort(byRank).slice(0, quotas.get(cat) ?? 0));
  return [...train, ...heldout];
}
