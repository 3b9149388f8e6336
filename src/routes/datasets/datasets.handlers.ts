import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { deleteDataset, getDatasetItem, importDataset, listDatasetItems, listDatasets, requireDataset } from "../../datasets";
import { ApiError } from "../../lib/errors";
import { afterCursor, nextCursor } from "../../lib/page-cursor";
import type {
  deleteDatasetRoute,
  getDatasetItemRoute,
  getDatasetRoute,
  importDatasetRoute,
  listDatasetItemsRoute,
  listDatasetsRoute,
} from "./datasets.routes";
import { decodeSeqCursor, encodeSeqCursor, presentDataset, presentDatasetItem } from "./datasets.present";
import { uploadKind, uploadRecords } from "./datasets.upload";

export const importDatasetHandler: RouteHandler<typeof importDatasetRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const kind = uploadKind(c.req.header("content-type"));
  const body = c.req.raw.body;
  if (!body) throw new ApiError("validation_failed", "the body is empty: send the file", { errors: [{ path: "body", message: "empty" }] });
  const upload = await uploadRecords(kind, body);
  try {
    const r = await importDataset(c.var.deps, {
      name: q.name,
      format: q.format,
      records: upload.records,
      actor: c.var.auth.actor,
      ...(q.evaluator !== undefined ? { evaluator: q.evaluator } : {}),
    });
    return c.json(
      {
        id: r.dataset.id,
        name: r.dataset.name,
        format: r.dataset.format,
        evaluator: q.evaluator ?? "default",
        received: r.received,
        inserted: r.inserted,
        duplicates: r.duplicates,
        subsets: r.subsets,
      },
      201,
    );
  } finally {
    await upload.cleanup();
  }
};

export const listDatasetsHandler: RouteHandler<typeof listDatasetsRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const page = await listDatasets(c.var.deps, { evaluator: q.evaluator, page: { limit: q.limit, ...afterCursor(q.cursor) } });
  return c.json({ data: page.rows.map(presentDataset), next_cursor: nextCursor(page.next) }, 200);
};

export const getDatasetHandler: RouteHandler<typeof getDatasetRoute, AppEnv> = async (c) => {
  const ds = await requireDataset(c.var.deps, { name: c.req.valid("param").name, evaluator: c.req.valid("query").evaluator });
  return c.json(presentDataset(ds), 200);
};

export const listDatasetItemsHandler: RouteHandler<typeof listDatasetItemsRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  let afterSeq: number | undefined;
  if (q.cursor !== undefined) {
    const seq = decodeSeqCursor(q.cursor);
    if (seq === null) {
      throw new ApiError("validation_failed", "cursor: not a next_cursor this API returned", { errors: [{ path: "cursor", message: "invalid cursor" }] });
    }
    afterSeq = seq;
  }
  const page = await listDatasetItems(c.var.deps, {
    name: c.req.valid("param").name,
    evaluator: q.evaluator,
    limit: q.limit,
    ...(q.subset !== undefined ? { subset: q.subset } : {}),
    ...(afterSeq !== undefined ? { afterSeq } : {}),
  });
  return c.json({ data: page.rows.map(presentDatasetItem), next_cursor: page.nextSeq === null ? null : encodeSeqCursor(page.nextSeq) }, 200);
};

export const getDatasetItemHandler: RouteHandler<typeof getDatasetItemRoute, AppEnv> = async (c) => {
  const p = c.req.valid("param");
  const item = await getDatasetItem(c.var.deps, { name: p.name, id: p.id, evaluator: c.req.valid("query").evaluator });
  return c.json(presentDatasetItem(item), 200);
};

export const deleteDatasetHandler: RouteHandler<typeof deleteDatasetRoute, AppEnv> = async (c) => {
  const ds = await deleteDataset(c.var.deps, { name: c.req.valid("param").name, evaluator: c.req.valid("query").evaluator });
  return c.json(presentDataset(ds), 200);
};
