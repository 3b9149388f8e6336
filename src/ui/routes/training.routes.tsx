// Training runs: list, Start run form, a run's page with its live region, Cancel (speaks HTTP; admin only).
import type { Hono } from "hono";
import { listEvaluators } from "../../evaluators";
import { ApiError } from "../../lib/errors";
import { validationError } from "../../lib/router";
import { decodePageCursor, encodePageCursor } from "../../lib/page-cursor";
import { isUuid } from "../../lib/uuid";
import { presentRun } from "../../routes/training/training.present";
import { cancelTrainingRun, createTrainingRun, getTrainingRun, listTrainingRuns } from "../../training";
import { RunParamsSchema } from "../../training/params";
import { TrainingListPage, TrainingLive, TrainingRunPage } from "../pages/training";
import { doneRedirect, field, pageCtx, render, requireAdmin } from "../render";
import type { UiEnv } from "../ui-env";

function runId(id: string): string {
  if (!isUuid(id)) throw new ApiError("not_found", `no training run ${id}`);
  return id;
}

/** The form's strings as run params (numbers and checkboxes), validated like the API body. */
function paramsFromForm(body: Record<string, unknown>) {
  const n = (k: string) => (field(body, k) === "" ? undefined : Number(field(body, k)));
  const raw = {
    iterations: n("iterations"),
    sample_size: n("sample_size"),
    samples_per_pair: n("samples_per_pair"),
    heldout_fraction: n("heldout_fraction"),
    temperature: n("temperature"),
    seed: n("seed"),
    backend: field(body, "backend") || undefined,
    auto_promote: field(body, "auto_promote") === "true",
    consistency_filter: field(body, "consistency_filter") === "true",
  };
  const parsed = RunParamsSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw validationError(parsed.error.issues as Array<{ path: PropertyKey[]; message: string }>);
  // Only what the form set: the domain fills the same defaults as for the API.
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
}

export function registerTrainingRoutes(ui: Hono<UiEnv>): void {
  ui.get("/ui/training", async (c) => {
    requireAdmin(c);
    const evaluator = c.req.query("evaluator") || undefined;
    const cursor = c.req.query("cursor");
    const [evaluators, page] = await Promise.all([
      listEvaluators(c.var.deps),
      listTrainingRuns(c.var.deps, { evaluator, page: { limit: 25, ...(cursor ? { after: decodePageCursor(cursor) } : {}) } }),
    ]);
    const name = evaluator ?? "default";
    const nextHref = page.next ? `/ui/training?evaluator=${encodeURIComponent(name)}&cursor=${encodePageCursor(page.next)}` : null;
    return render(c, "Training runs", (ctx) => (
      <TrainingListPage
        ctx={ctx}
        evaluators={evaluators}
        evaluator={name}
        runs={page.views.map(presentRun)}
        nextHref={nextHref}
        jobsEnabled={Boolean(c.var.deps.jobs)}
      />
    ));
  });

  ui.post("/ui/training", async (c) => {
    requireAdmin(c);
    const body = await c.req.parseBody();
    const params = paramsFromForm(body);
    const view = await createTrainingRun(c.var.deps, { evaluator: field(body, "evaluator") || undefined, params });
    return doneRedirect(c, `/ui/training/${view.run.id}`, "Training run started.");
  });

  ui.get("/ui/training/:id", async (c) => {
    requireAdmin(c);
    const run = presentRun(await getTrainingRun(c.var.deps, runId(c.req.param("id"))));
    return render(c, `Training run ${run.id.slice(0, 8)}`, (ctx) => <TrainingRunPage ctx={ctx} run={run} />);
  });

  ui.get("/ui/training/:id/live", async (c) => {
    requireAdmin(c);
    const run = presentRun(await getTrainingRun(c.var.deps, runId(c.req.param("id"))));
    c.header("cache-control", "no-store");
    return c.html(<TrainingLive run={run} ctx={pageCtx(c)} />);
  });

  ui.post("/ui/training/:id/cancel", async (c) => {
    requireAdmin(c);
    const view = await cancelTrainingRun(c.var.deps, runId(c.req.param("id")));
    return doneRedirect(c, `/ui/training/${view.run.id}`, "Cancel requested: the run stops within a few seconds.");
  });
}
