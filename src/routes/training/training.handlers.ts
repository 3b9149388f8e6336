import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import {
  cancelTrainingRun,
  createTrainingRun,
  getTrainingRun,
  listTrainingRuns,
  trainingRunDataset,
} from "../../training";
import { presentRun } from "./training.present";
import type { cancelRun, getRun, listRuns, runDataset, startRun } from "./training.routes";

export const startRunHandler: RouteHandler<typeof startRun, AppEnv> = async (c) => {
  const { evaluator, ...params } = c.req.valid("json");
  return c.json(presentRun(await createTrainingRun(c.var.deps, { evaluator, params })), 202);
};

export const listRunsHandler: RouteHandler<typeof listRuns, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const page = await listTrainingRuns(c.var.deps, {
    evaluator: q.evaluator,
    ...(q.status ? { status: q.status } : {}),
    page: { limit: q.limit, ...afterCursor(q.cursor) },
  });
  return c.json({ data: page.views.map(presentRun), next_cursor: nextCursor(page.next) }, 200);
};

export const getRunHandler: RouteHandler<typeof getRun, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(presentRun(await getTrainingRun(c.var.deps, id)), 200);
};

export const cancelRunHandler: RouteHandler<typeof cancelRun, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(presentRun(await cancelTrainingRun(c.var.deps, id)), 200);
};

export const runDatasetHandler: RouteHandler<typeof runDataset, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const { iteration, lines } = await trainingRunDataset(c.var.deps, {
    id,
    ...(q.iteration !== undefined ? { iteration: q.iteration } : {}),
    format: q.format,
  });
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
