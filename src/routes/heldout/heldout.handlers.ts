import type { RouteHandler, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-types";
import { insertHeldoutItems, listHeldout as listHeldoutRows } from "../../db/queries/heldout";
import { resolveEvaluator } from "../../evaluators/lookup";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import { isJsonl, parseHeldoutJsonl } from "../../heldout/jsonl";
import type { importHeldout, listHeldout } from "./heldout.routes";
import { presentHeldout, type HeldoutItemInputSchema, type ImportHeldoutSchema } from "./heldout.schemas";
import { EvaluatorSelector } from "../common.schemas";
import { validationError } from "../../lib/router";

type HeldoutItemInput = z.infer<typeof HeldoutItemInputSchema>;
type ImportBody = z.infer<typeof ImportHeldoutSchema>;

async function importItems(c: Context<AppEnv>, evaluatorName: string | undefined, items: HeldoutItemInput[]) {
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, evaluatorName);
  const res = await insertHeldoutItems(
    db,
    evaluator.id,
    items.map((i) => ({ ...i, category: i.category ?? null, note: i.note ?? null })),
  );
  return { evaluator: evaluator.name, received: items.length, inserted: res.inserted, duplicates: res.duplicates };
}

export const importHeldoutHandler: RouteHandler<typeof importHeldout, AppEnv> = async (c) => {
  // Validated against ImportHeldoutSchema by the router; the JSONL entries in the route's content
  // are plain OpenAPI schemas, which hide the JSON body's type from RouteHandler.
  const body = (c.req as unknown as { valid(target: "json"): ImportBody }).valid("json");
  return c.json(await importItems(c, body.evaluator ?? c.req.valid("query").evaluator, body.items), 200);
};

/**
 * POST /v1/heldout with a JSONL media type, answered before the OpenAPI route's JSON validator
 * (which would take application/jsonl for JSON). Same response as the JSON import.
 */
export const heldoutJsonlUpload: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "POST" || !isJsonl(c.req.header("content-type"))) return next();
  const selector = EvaluatorSelector.safeParse(c.req.query("evaluator"));
  if (!selector.success) throw validationError(selector.error.issues, "evaluator");
  const evaluator = selector.data;
  const items = parseHeldoutJsonl(await c.req.text());
  return c.json(await importItems(c, evaluator, items), 200);
};

export const listHeldoutHandler: RouteHandler<typeof listHeldout, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  const page = await listHeldoutRows(
    db,
    evaluator.id,
    {
      ...(q.source ? { source: q.source } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.label ? { label: q.label } : {}),
    },
    { limit: q.limit, ...afterCursor(q.cursor) },
  );
  return c.json(
    { data: page.rows.map(presentHeldout), total: page.total, next_cursor: nextCursor(page.next) },
    200,
  );
};
