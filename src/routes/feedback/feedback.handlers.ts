import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import {
  findHeldoutByHash,
  findHeldoutByJudgment,
  heldoutContentHash,
  insertHeldoutItem,
  updateHeldoutLabel,
} from "../../db/queries/heldout";
import { getJudgment } from "../../db/queries/judgments";
import { ApiError } from "../../lib/errors";
import { presentHeldout } from "../heldout/heldout.schemas";
import type { postFeedback } from "./feedback.routes";

export const postFeedbackHandler: RouteHandler<typeof postFeedback, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { preferred, note } = c.req.valid("json");
  const db = c.var.deps.database.db;
  const judgment = await getJudgment(db, id);
  if (!judgment) throw new ApiError("not_found", `no judgment ${id}`);
  const common = { judgment_id: judgment.id, judge_verdict: judgment.verdict, agrees: judgment.verdict === preferred };

  const earlier = await findHeldoutByJudgment(db, judgment.id);
  if (earlier) {
    const updated = (await updateHeldoutLabel(db, earlier.id, { label: preferred, note: note ?? null }))!;
    return c.json({ created: false, ...common, heldout_item: presentHeldout(updated) }, 200);
  }
  const pair = { instruction: judgment.instruction, response_a: judgment.responseA, response_b: judgment.responseB };
  const inserted = await insertHeldoutItem(db, judgment.evaluatorId, {
    ...pair,
    label: preferred,
    source: "human",
    note: note ?? null,
    judgmentId: judgment.id,
  });
  if (!inserted) {
    const existing = await findHeldoutByHash(db, judgment.evaluatorId, await heldoutContentHash(pair));
    if (existing?.judgmentId === judgment.id) {
      // A concurrent feedback on the same judgment got there first: same rule, the latest wins.
      const updated = (await updateHeldoutLabel(db, existing.id, { label: preferred, note: note ?? null }))!;
      return c.json({ created: false, ...common, heldout_item: presentHeldout(updated) }, 200);
    }
    throw new ApiError("conflict", "this pair is already in the held-out set", {
      heldout_item_id: existing?.id ?? null,
      ...(existing ? { existing_label: existing.label, existing_source: existing.source } : {}),
    });
  }
  return c.json({ created: true, ...common, heldout_item: presentHeldout(inserted) }, 201);
};
