import type { RouteHandler, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-types";
import { importHeldout, listHeldout as listHeldoutItems } from "../../heldout";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import { isJsonl, parseHeldoutJsonl } from "./heldout.jsonl";
import type { importHeldout as importHeldoutRoute, listHeldout } from "./heldout.routes";
import { type ImportHeldoutSchema } from "./heldout.schemas";
import { presentHeldout } from "./heldout.present";
import { EvaluatorSelector } from "../common.schemas";
import { validationError } from "../../lib/router";

type ImportBody = z.infer<typeof ImportHeldoutSchema>;

export const importHeldoutHandler: RouteHandler<typeof importHeldoutRoute, AppEnv> = async (c) => {
  // Validated against ImportHeldoutSchema by the router; the JSONL entries in the route's content
  // are plain OpenAPI schemas, which hide the JSON body's type from RouteHandler.
  const body = (c.req as unknown as { valid(target: "json"): ImportBody }).valid("json");
  return c.json(await importHeldout(c.var.deps, { evaluator: body.evaluator ?? c.req.valid("query").evaluator, items: body.items }), 200);
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
  return c.json(await importHeldout(c.var.deps, { evaluator, items }), 200);
};

export const listHeldoutHandler: RouteHandler<typeof listHeldout, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const page = await listHeldoutItems(c.var.deps, {
    evaluator: q.evaluator,
    filter: {
      ...(q.source ? { source: q.source } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.label ? { label: q.label } : {}),
    },
    page: { limit: q.limit, ...afterCursor(q.cursor) },
  });
  return c.json(
    { data: page.rows.map(presentHeldout), total: page.total, next_cursor: nextCursor(page.next) },
    200,
  );
};
