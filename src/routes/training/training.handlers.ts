import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { findEvaluatorById, getRun as getRunRow, listRuns as listRunRows, requestCancel, TERMINAL_STATUSES } from "../../db/queries/training";
import { ApiError } from "../../lib/errors";
import { resolveEvaluator } from "../../evaluators/lookup";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import { datasetLines } from "../../training/dataset";
import { startTrainingRun } from "../../training/service";
import type { RunState } from "../../training/state";
import { presentRun } from "./training.present";
import type { cancelRun, getRun, listRuns, runDataset, startRun } from "./training.routes";

async function loadRun(c: { var: AppEnv["Variables"] }, id: string) {
  const db = c.var.deps.database.db;
  const run = await getRunRow(db, id);
  if (!run) throw new ApiError("not_found", `no training run ${id}`);
  const evaluator = await findEvaluatorById(db, run.evaluatorId);
  return { run, evaluatorName: evaluator?.name ?? "?" };
}

export const startRunHandler: RouteHandler<typeof startRun, AppEnv> = async (c) => {
  const { evaluator: name, ...params } = c.req.valid("json");
  const deps = c.var.deps;
  const evaluator = await resolveEvaluator(deps.database.db, name);
  const run = await startTrainingRun(deps, { evaluatorId: evaluator.id, params, trigger: "api" });
  return c.json(await presentRun(deps.database.db, run, evaluator.name), 202);
};

export const listRunsHandler: RouteHandler<typeof listRuns, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  const page = await listRunRows(db, evaluator.id, {
    limit: q.limit,
    ...(q.status ? { status: q.status } : {}),
    ...afterCursor(q.cursor),
  });
  const data = await Promise.all(page.rows.map((r) => presentRun(db, r, evaluator.name)));
  return c.json({ data, next_cursor: nextCursor(page.next) }, 200);
};

export const getRunHandler: RouteHandler<typeof getRun, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { run, evaluatorName } = await loadRun(c, id);
  return c.json(await presentRun(c.var.deps.database.db, run, evaluatorName), 200);
};

export const cancelRunHandler: RouteHandler<typeof cancelRun, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { run, evaluatorName } = await loadRun(c, id);
  if (TERMINAL_STATUSES.includes(run.status)) throw new ApiError("conflict", `training run ${id} has already ended (${run.status})`);
  const db = c.var.deps.database.db;
  const updated = (await requestCancel(db, id, c.var.deps.clock.now())) ?? run;
  return c.json(await presentRun(db, updated, evaluatorName), 200);
};

export const runDatasetHandler: RouteHandler<typeof runDataset, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const { run } = await loadRun(c, id);
  const iteration = q.iteration ?? Math.max(1, run.iteration);
  const selected = (run.state as RunState).iters?.[String(iteration)]?.selected === true;
  if (!selected) {
    throw new ApiError("conflict", `training run ${id} has no selected data for iteration ${iteration} yet (status ${run.status}, step ${run.currentStep ?? "none"})`);
  }
  const lines = datasetLines(c.var.deps.database.db, id, iteration, q.format);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  // Streamed a page at a time; the typed-response helpers only know JSON bodies, hence the cast.
  return c.body(body, 200, {
    "content-type": "application/jsonl; charset=utf-8",
    "content-disposition": `attachment; filename="selfjudge-${id}-iteration-${iteration}-${q.format}.jsonl"`,
  }) as never;
};
