import type { AppDeps } from "../deps";
import {
  findHeldoutByHash,
  findHeldoutByJudgment,
  heldoutContentHash,
  insertHeldoutItem,
  insertHeldoutItems,
  listHeldout as listHeldoutRows,
  updateHeldoutLabel,
  type HeldoutFilter,
  type HeldoutRow,
} from "../db/queries/heldout";
import { getJudgment, type JudgmentWithNames } from "../db/queries/judgments";
import type { HeldoutLabel, HeldoutSource } from "../db/schema";
import { resolveEvaluator } from "../evaluators/lookup";
import { ApiError } from "../lib/errors";
import type { PageCursor } from "../lib/page-cursor";

// The held-out set: labelled pairs that decide promotions (touches the database).

export type HeldoutItemInput = {
  instruction: string;
  response_a: string;
  response_b: string;
  label: HeldoutLabel;
  source: HeldoutSource;
  category?: string;
  note?: string;
};

/** Adds labelled pairs all-or-nothing, skipping pairs already in the set. */
export async function importHeldout(deps: Pick<AppDeps, "database">, p: { evaluator?: string; items: HeldoutItemInput[] }) {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const res = await insertHeldoutItems(
    db,
    evaluator.id,
    p.items.map((i) => ({ ...i, category: i.category ?? null, note: i.note ?? null })),
  );
  return { evaluator: evaluator.name, received: p.items.length, inserted: res.inserted, duplicates: res.duplicates };
}

/** One page of an evaluator's held-out items (newest first) and the filtered total. */
export async function listHeldout(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string; filter: Omit<HeldoutFilter, "trainingRunId">; page: { limit: number; after?: PageCursor } },
): Promise<{ rows: HeldoutRow[]; next: PageCursor | null; total: number }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  return listHeldoutRows(db, evaluator.id, p.filter, p.page);
}

export type FeedbackOutcome = { created: boolean; judgment: JudgmentWithNames; item: HeldoutRow };

/**
 * A human's preference on a served judgment becomes a gold held-out item (source `human`).
 * Feedback on the same judgment again relabels that item (the latest wins); 404 unknown judgment,
 * 409 when the same pair is already in the set from elsewhere.
 */
export async function recordFeedback(
  deps: Pick<AppDeps, "database">,
  p: { judgmentId: string; preferred: HeldoutLabel; note?: string },
): Promise<FeedbackOutcome> {
  const db = deps.database.db;
  const judgment = await getJudgment(db, p.judgmentId);
  if (!judgment) throw new ApiError("not_found", `no judgment ${p.judgmentId}`);
  const relabel = async (id: string) =>
    (await updateHeldoutLabel(db, id, { label: p.preferred, note: p.note ?? null }))!;

  const earlier = await findHeldoutByJudgment(db, judgment.id);
  if (earlier) return { created: false, judgment, item: await relabel(earlier.id) };
  const pair = { instruction: judgment.instruction, response_a: judgment.responseA, response_b: judgment.responseB };
  const inserted = await insertHeldoutItem(db, judgment.evaluatorId, {
    ...pair,
    label: p.preferred,
    source: "human",
    note: p.note ?? null,
    judgmentId: judgment.id,
  });
  if (!inserted) {
    const existing = await findHeldoutByHash(db, judgment.evaluatorId, await heldoutContentHash(pair));
    if (existing?.judgmentId === judgment.id) {
      // A concurrent feedback on the same judgment got there first: same rule, the latest wins.
      return { created: false, judgment, item: await relabel(existing.id) };
    }
    throw new ApiError("conflict", "this pair is already in the held-out set", {
      heldout_item_id: existing?.id ?? null,
      ...(existing ? { existing_label: existing.label, existing_source: existing.source } : {}),
    });
  }
  return { created: true, judgment, item: inserted };
}
