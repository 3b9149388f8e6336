// Evaluations list and detail, live region and cancel (speaks HTTP; admin only).
import type { Hono } from "hono";
import { listEvaluators } from "../../evaluators";
import { getEvaluation, listEvaluations, startEvaluation, stopEvaluation } from "../../evaluation";
import { findEvaluatorById } from "../../db/queries/evaluators";
import { ApiError } from "../../lib/errors";
import { decodePageCursor, encodePageCursor } from "../../lib/page-cursor";
import { isUuid } from "../../lib/uuid";
import { EvaluationLive, EvaluationPage, EvaluationsPage } from "../pages/evaluations";
import { doneRedirect, field, pageCtx, render, requireAdmin } from "../render";
import type { UiEnv } from "../ui-env";

function uuidParam(id: string): string {
  if (!isUuid(id)) throw new ApiError("not_found", `no evaluation ${id}`);
  return id;
}

export function registerEvaluationRoutes(ui: Hono<UiEnv>): void {
  ui.get("/ui/evaluations", async (c) => {
    requireAdmin(c);
    const evaluator = c.req.query("evaluator") || undefined;
    const cursor = c.req.query("cursor");
    const [evaluators, page] = await Promise.all([
      listEvaluators(c.var.deps),
      listEvaluations(c.var.deps, { evaluator, page: { limit: 50, ...(cursor ? { after: decodePageCursor(cursor) } : {}) } }),
    ]);
    const name = evaluator ?? "default";
    const nextHref = page.next ? `/ui/evaluations?evaluator=${encodeURIComponent(name)}&cursor=${encodePageCursor(page.next)}` : null;
    return render(c, "Evaluations", (ctx) => <EvaluationsPage ctx={ctx} evaluators={evaluators} evaluator={name} rows={page.rows} nextHref={nextHref} />);
  });

  ui.get("/ui/evaluations/:id", async (c) => {
    requireAdmin(c);
    const e = await getEvaluation(c.var.deps, uuidParam(c.req.param("id")));
    const evaluator = await findEvaluatorById(c.var.deps.database.db, e.evaluatorId);
    return render(
      c,
      e.baselineName ? `Evaluation ${e.candidateName} vs ${e.baselineName}` : `Evaluation of ${e.candidateName}`,
      (ctx) => <EvaluationPage ctx={ctx} e={e} evaluatorName={evaluator?.name ?? "?"} canCancel={Boolean(c.var.deps.jobs)} />,
      { charts: true },
    );
  });

  ui.get("/ui/evaluations/:id/live", async (c) => {
    requireAdmin(c);
    const e = await getEvaluation(c.var.deps, uuidParam(c.req.param("id")));
    c.header("cache-control", "no-store");
    return c.html(<EvaluationLive e={e} ctx={pageCtx(c)} canCancel={Boolean(c.var.deps.jobs)} />);
  });

  // Start an evaluation from a form: a version on a benchmark dataset (the held-out page's form), or a
  // candidate against the active version on the held-out set (the versions page's form), optionally
  // through the promotion gate. The active version is the baseline.
  ui.post("/ui/evaluations", async (c) => {
    requireAdmin(c);
    const body = await c.req.parseBody();
    const version = field(body, "version");
    const dataset = field(body, "dataset") || undefined;
    if (!version) throw new ApiError("validation_failed", dataset ? "choose a dataset and a version" : "choose a version to evaluate");
    const limitText = field(body, "limit");
    const limit = limitText ? Number(limitText) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new ApiError("validation_failed", "limit: a whole number of items, at least 1");
    const promote = field(body, "promote") === "on";
    if (promote && dataset) throw new ApiError("validation_failed", "the promotion gate runs on the held-out set only, not on a dataset");
    const evaluator = field(body, "evaluator") || undefined;
    const e = await startEvaluation(c.var.deps, {
      evaluator,
      version,
      ...(dataset ? { dataset, ...(limit ? { limit } : {}) } : limit ? { filter: { limit } } : {}),
      ...(promote ? { promote: true } : {}),
      actor: c.var.auth.actor,
    });
    const on = dataset ? `on ${dataset}` : `against ${e.baselineName ?? "the active version"} on the held-out set`;
    return doneRedirect(c, `/ui/evaluations/${e.id}`, `Evaluation of ${e.candidateName} ${on} started.`);
  });

  ui.post("/ui/evaluations/:id/cancel", async (c) => {
    requireAdmin(c);
    const e = await stopEvaluation(c.var.deps, uuidParam(c.req.param("id")));
    return doneRedirect(c, `/ui/evaluations/${e.id}`, "Evaluation canceled.");
  });
}
