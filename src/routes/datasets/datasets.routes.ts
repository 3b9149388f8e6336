import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { pageQueryFields, pageResponse } from "../../lib/paging";
import { EvaluatorSelector } from "../common.schemas";
import { DatasetFormatSchema, DatasetItemSchema, DatasetName, DatasetSchema, ImportDatasetResultSchema } from "./datasets.schemas";

// Plain OpenAPI schemas, not zod: the body is streamed by the handler, never parsed as one JSON value.
const fileBody = (description: string) => ({ schema: { type: "string" as const, format: "binary", description } });

export const importDatasetRoute = createRoute({
  method: "post",
  path: "/v1/datasets",
  tags: ["datasets"],
  summary: "Import a benchmark file (JSONL, JSON or Parquet) as a new named dataset",
  description:
    "The body is the file itself, streamed (limit DATASET_BODY_LIMIT_BYTES, default 200 MiB). All or nothing: a bad " +
    "record fails the import with 422 naming its line/item/row and field, and nothing is kept. Pairs identical in " +
    "content are stored once (`duplicates`). Datasets are immutable: 409 when the name exists.",
  request: {
    query: z.object({
      name: DatasetName,
      format: DatasetFormatSchema,
      evaluator: EvaluatorSelector,
    }),
    body: {
      required: true,
      content: {
        "application/x-ndjson": fileBody("JSON Lines: one record per line"),
        "application/json": fileBody('A JSON array of records, or {"items": [...]}'),
        "application/vnd.apache.parquet": fileBody("A Parquet file as published on the Hugging Face hub"),
      },
    },
  },
  responses: {
    201: { description: "Imported", content: { "application/json": { schema: ImportDatasetResultSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409, 413, 415),
  },
});

export const listDatasetsRoute = createRoute({
  method: "get",
  path: "/v1/datasets",
  tags: ["datasets"],
  summary: "The evaluator's datasets, newest first, cursor-paged",
  request: { query: z.object({ evaluator: EvaluatorSelector, ...pageQueryFields({ max: 100, default: 20 }) }) },
  responses: { 200: pageResponse(DatasetSchema, "DatasetPage"), ...errorResponses(...COMMON_ERRORS, 404) },
});

const NameParam = z.object({ name: DatasetName });

export const getDatasetRoute = createRoute({
  method: "get",
  path: "/v1/datasets/{name}",
  tags: ["datasets"],
  summary: "A dataset with its counts per subset",
  request: { params: NameParam, query: z.object({ evaluator: EvaluatorSelector }) },
  responses: {
    200: { description: "The dataset", content: { "application/json": { schema: DatasetSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const listDatasetItemsRoute = createRoute({
  method: "get",
  path: "/v1/datasets/{name}/items",
  tags: ["datasets"],
  summary: "A dataset's labelled pairs in file order, cursor-paged",
  request: {
    params: NameParam,
    query: z.object({
      evaluator: EvaluatorSelector,
      subset: z.string().min(1).max(200).optional(),
      ...pageQueryFields({ max: 500, default: 50 }),
    }),
  },
  responses: { 200: pageResponse(DatasetItemSchema, "DatasetItemPage"), ...errorResponses(...COMMON_ERRORS, 404) },
});

export const getDatasetItemRoute = createRoute({
  method: "get",
  path: "/v1/datasets/{name}/items/{id}",
  tags: ["datasets"],
  summary: "One labelled pair (evaluation results list disagreeing items by these ids)",
  request: { params: z.object({ name: DatasetName, id: z.uuid() }), query: z.object({ evaluator: EvaluatorSelector }) },
  responses: {
    200: { description: "The item", content: { "application/json": { schema: DatasetItemSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const deleteDatasetRoute = createRoute({
  method: "delete",
  path: "/v1/datasets/{name}",
  tags: ["datasets"],
  summary: "Delete a dataset and its items (409 while an evaluation on it is queued or running)",
  request: { params: NameParam, query: z.object({ evaluator: EvaluatorSelector }) },
  responses: {
    200: { description: "Deleted", content: { "application/json": { schema: DatasetSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409),
  },
});
