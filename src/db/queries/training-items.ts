import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rawRows } from "../client";
import { heldoutItems, trainingExamples, trainingJudgments, trainingPairs } from "../schema";

export type PairRow = typeof trainingPairs.$inferSelect;
export type JudgmentRow = typeof trainingJudgments.$inferSelect;
export type ExampleRow = typeof trainingExamples.$inferSelect;
export type NewPendingPair = { trafficId: string; split: "train" | "heldout"; category: string | null; instruction: string };

/** Curation's output, written in one transaction so a selection is either fully there or absent. */
export async function insertPendingPairs(db: Db, runId: string, pairs: NewPendingPair[]): Promise<void> {
  if (pairs.length === 0) return;
  await db.transaction(async (tx) => {
    for (let i = 0; i < pairs.length; i += 500) {
      await tx
        .insert(trainingPairs)
        .values(pairs.slice(i, i + 500).map((p) => ({ ...p, runId, status: "pending" as const })))
        .onConflictDoNothing({ target: [trainingPairs.runId, trainingPairs.trafficId] });
    }
  });
}

export async function countPairs(db: Db, runId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(trainingPairs).where(eq(trainingPairs.runId, runId));
  return Number(row?.n ?? 0);
}

/** Next page of pairs still to synthesise, by id. */
export async function pendingPairsPage(db: Db, runId: string, afterId: string | null, limit: number): Promise<PairRow[]> {
  return db
    .select()
    .from(trainingPairs)
    .where(and(eq(trainingPairs.runId, runId), eq(trainingPairs.status, "pending"), afterId ? gt(trainingPairs.id, afterId) : undefined))
    .orderBy(asc(trainingPairs.id))
    .limit(limit);
}

export type PairOutcome =
  | { status: "built"; chosen: string; modifiedInstruction: string; rejected: string; rawSynthesis: string }
  | { status: "malformed" | "same_instruction" | "failed"; chosen: string | null; rawSynthesis: string | null };

export type SyntheticHeldout = {
  evaluatorId: string;
  instruction: string;
  responseA: string;
  responseB: string;
  label: "A" | "B";
  category: string | null;
  contentHash: string;
  trainingRunId: string;
};

export type PairCompletion = { pairId: string; outcome: PairOutcome; heldout?: SyntheticHeldout };

/**
 * Records many synthesis results in one statement; held-out items of the pairs that were still
 * pending are written in the same transaction, so a built held-out pair always has its item.
 */
export async function completePairs(db: Db, items: PairCompletion[]): Promise<void> {
  if (items.length === 0) return;
  const values = items.map(({ pairId, outcome }) => ({
    id: pairId,
    status: outcome.status,
    chosen: outcome.chosen,
    modified_instruction: outcome.status === "built" ? outcome.modifiedInstruction : null,
    rejected: outcome.status === "built" ? outcome.rejected : null,
    raw_synthesis: outcome.rawSynthesis,
  }));
  await db.transaction(async (tx) => {
    const updated = await rawRows<{ id: string }>(
      tx,
      sql`update ${trainingPairs} p
             set status = v.status, chosen = v.chosen, modified_instruction = v.modified_instruction,
                 rejected = v.rejected, raw_synthesis = v.raw_synthesis
            from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
                 as v(id uuid, status text, chosen text, modified_instruction text, rejected text, raw_synthesis text)
           where p.id = v.id and p.status = 'pending'
       returning p.id`,
    );
    const done = new Set(updated.map((r) => r.id));
    const heldout = items.filter((i) => i.heldout && i.outcome.status === "built" && done.has(i.pairId)).map((i) => i.heldout!);
    if (heldout.length === 0) return;
    await tx
      .insert(heldoutItems)
      .values(heldout.map((h) => ({ ...h, source: "synthetic" as const })))
      .onConflictDoNothing({ target: [heldoutItems.evaluatorId, heldoutItems.contentHash] });
  });
}

/**
 * Which of these pairs already have their judgments for the iteration. One lookup per page
 * (rather than NOT EXISTS per pair) keeps the plan cheap even while table statistics lag behind
 * a fast-growing judgments table.
 */
export async function annotatedPairIds(db: Db, runId: string, iteration: number, pairIds: string[]): Promise<Set<string>> {
  if (pairIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: trainingJudgments.pairId })
    .from(trainingJudgments)
    .where(and(eq(trainingJudgments.runId, runId), eq(trainingJudgments.iteration, iteration), inArray(trainingJudgments.pairId, pairIds)));
  return new Set(rows.map((r) => r.id));
}

export type NewJudgment = Omit<typeof trainingJudgments.$inferInsert, "id" | "createdAt">;

/**
 * Judgment rows in one statement (the write-behind batches several pairs'; a pair's samples are
 * always in the same batch, so a pair is annotated fully or not at all). The rows travel as one
 * JSON parameter: building a many-row parameterised INSERT costs more CPU than the LLM calls.
 */
export async function insertJudgments(db: Db, rows: NewJudgment[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => ({
    run_id: r.runId,
    iteration: r.iteration,
    pair_id: r.pairId,
    sample_index: r.sampleIndex,
    order: r.order,
    text: r.text,
    vote: r.vote,
    picks_chosen: r.picksChosen,
  }));
  await db.execute(sql`
    insert into ${trainingJudgments} (run_id, iteration, pair_id, sample_index, "order", text, vote, picks_chosen)
    select run_id, iteration, pair_id, sample_index, "order", text, vote, picks_chosen
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
           as v(run_id uuid, iteration int, pair_id uuid, sample_index int, "order" text, text text, vote text, picks_chosen boolean)
    on conflict (run_id, iteration, pair_id, sample_index) do nothing`);
}

/** Built training pairs by id, a page at a time (selection streams over them). */
export async function builtTrainPairsPage(db: Db, runId: string, afterId: string | null, limit: number): Promise<PairRow[]> {
  return db
    .select()
    .from(trainingPairs)
    .where(
      and(
        eq(trainingPairs.runId, runId),
        eq(trainingPairs.split, "train"),
        eq(trainingPairs.status, "built"),
        afterId ? gt(trainingPairs.id, afterId) : undefined,
      ),
    )
    .orderBy(asc(trainingPairs.id))
    .limit(limit);
}

export async function judgmentsOfPairs(db: Db, runId: string, iteration: number, pairIds: string[]): Promise<JudgmentRow[]> {
  if (pairIds.length === 0) return [];
  return db
    .select()
    .from(trainingJudgments)
    .where(and(eq(trainingJudgments.runId, runId), eq(trainingJudgments.iteration, iteration), inArray(trainingJudgments.pairId, pairIds)))
    .orderBy(asc(trainingJudgments.pairId), asc(trainingJudgments.sampleIndex));
}

export type NewExample = Omit<typeof trainingExamples.$inferInsert, "id" | "createdAt">;

/** The selected examples of an iteration in one transaction, so selection is all-or-nothing. */
export async function insertExamples(db: Db, rows: NewExample[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insert(trainingExamples)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing({ target: [trainingExamples.runId, trainingExamples.iteration, trainingExamples.pairId, trainingExamples.kind] });
    }
  });
}

export type ExampleWithPair = ExampleRow & { category: string | null; instruction: string; chosen: string; rejected: string };

export async function examplesPage(
  db: Db,
  runId: string,
  iteration: number,
  kind: "sft" | "dpo",
  afterId: string | null,
  limit: number,
): Promise<ExampleWithPair[]> {
  const rows = await db
    .select({
      example: trainingExamples,
      category: trainingPairs.category,
      instruction: trainingPairs.instruction,
      chosen: trainingPairs.chosen,
      rejected: trainingPairs.rejected,
    })
    .from(trainingExamples)
    .innerJoin(trainingPairs, eq(trainingPairs.id, trainingExamples.pairId))
    .where(
      and(
        eq(trainingExamples.runId, runId),
        eq(trainingExamples.iteration, iteration),
        eq(trainingExamples.kind, kind),
        afterId ? gt(trainingExamples.id, afterId) : undefined,
      ),
    )
    .orderBy(asc(trainingExamples.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.example, category: r.category, instruction: r.instruction, chosen: r.chosen ?? "", rejected: r.rejected ?? "" }));
}

export type RunCounts = Record<string, number>;

/** Live counters, derived from the item tables so a crash can never make them drift. */
export async function runCounts(db: Db, runId: string, iteration: number): Promise<RunCounts> {
  return (await runCountsMany(db, [{ runId, iteration }])).get(runId)!;
}

const PAIR_COUNTS = [
  "selected", "heldout_selected", "synthesized", "pairs_total", "pairs_built", "heldout_pairs_built",
  "dropped_malformed", "dropped_same_instruction", "synthesis_failed",
] as const;
const JUDGMENT_COUNTS = ["judgments_sampled", "pairs_annotated", "judgments_correct"] as const;
const EXAMPLE_COUNTS = ["kept", "kept_a", "kept_b", "dpo_pairs"] as const;

/**
 * runCounts for many runs at once (each at its own iteration): four grouped queries whatever the
 * number of runs, so a page of runs costs the same as one run.
 */
export async function runCountsMany(db: Db, keys: Array<{ runId: string; iteration: number }>): Promise<Map<string, RunCounts>> {
  const out = new Map<string, RunCounts>();
  if (keys.length === 0) return out;
  const runIds = sql.join(keys.map((k) => sql`${k.runId}::uuid`), sql`, `);
  const runIters = sql.join(keys.map((k) => sql`(${k.runId}::uuid, ${k.iteration}::int)`), sql`, `);
  const pairs = await rawRows<Record<string, number | string>>(
    db,
    sql`select run_id,
               count(*) filter (where split = 'train')::int as selected,
               count(*) filter (where split = 'heldout')::int as heldout_selected,
               count(*) filter (where status <> 'pending')::int as synthesized,
               count(*)::int as pairs_total,
               count(*) filter (where split = 'train' and status = 'built')::int as pairs_built,
               count(*) filter (where split = 'heldout' and status = 'built')::int as heldout_pairs_built,
               count(*) filter (where status = 'malformed')::int as dropped_malformed,
               count(*) filter (where status = 'same_instruction')::int as dropped_same_instruction,
               count(*) filter (where status = 'failed')::int as synthesis_failed
          from ${trainingPairs} where run_id in (${runIds}) group by run_id`,
  );
  const judg = await rawRows<Record<string, number | string>>(
    db,
    sql`select run_id,
               count(*)::int as judgments_sampled,
               count(distinct pair_id)::int as pairs_annotated,
               count(*) filter (where picks_chosen)::int as judgments_correct
          from ${trainingJudgments} where (run_id, iteration) in (${runIters}) group by run_id`,
  );
  const none = await rawRows<Record<string, number | string>>(
    db,
    sql`select run_id, count(*)::int as n from (
          select run_id, pair_id from ${trainingJudgments} where (run_id, iteration) in (${runIters})
           group by run_id, pair_id having not bool_or(picks_chosen)) t
         group by run_id`,
  );
  const ex = await rawRows<Record<string, number | string>>(
    db,
    sql`select run_id,
               count(*) filter (where kind = 'sft')::int as kept,
               count(*) filter (where kind = 'sft' and label = 'A')::int as kept_a,
               count(*) filter (where kind = 'sft' and label = 'B')::int as kept_b,
               count(*) filter (where kind = 'dpo')::int as dpo_pairs
          from ${trainingExamples} where (run_id, iteration) in (${runIters}) group by run_id`,
  );
  const byRun = (rows: Array<Record<string, number | string>>) => new Map(rows.map((r) => [String(r.run_id), r]));
  const [p, j, e, n] = [byRun(pairs), byRun(judg), byRun(ex), byRun(none)];
  for (const { runId } of keys) {
    const counts: RunCounts = {};
    for (const [names, rows] of [[PAIR_COUNTS, p], [JUDGMENT_COUNTS, j], [EXAMPLE_COUNTS, e]] as const) {
      const row = rows.get(runId);
      for (const k of names) counts[k] = Number(row?.[k] ?? 0);
    }
    counts.dropped_no_correct = Number(n.get(runId)?.n ?? 0);
    out.set(runId, counts);
  }
  return out;
}
