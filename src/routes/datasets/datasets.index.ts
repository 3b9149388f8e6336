import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../../lib/errors";
import { createRouter } from "../../lib/router";
import {
  deleteDatasetHandler,
  getDatasetHandler,
  getDatasetItemHandler,
  importDatasetHandler,
  listDatasetItemsHandler,
  listDatasetsHandler,
} from "./datasets.handlers";
import {
  deleteDatasetRoute,
  getDatasetItemRoute,
  getDatasetRoute,
  importDatasetRoute,
  listDatasetItemsRoute,
  listDatasetsRoute,
} from "./datasets.routes";

const base = createRouter();
// Uploads skip the general BODY_LIMIT_BYTES (src/app.ts) and get DATASET_BODY_LIMIT_BYTES, checked as the body streams.
base.post("/v1/datasets", async (c, next) => {
  const max = c.var.deps.config.datasets.bodyLimitBytes;
  return bodyLimit({
    maxSize: max,
    onError: () => {
      throw new ApiError("payload_too_large", `dataset upload exceeds DATASET_BODY_LIMIT_BYTES (${max} bytes)`);
    },
  })(c, next);
});
// Chained, so the routes' types reach ApiType and the typed client (src/client).
export const datasetsRouter = base
  .openapi(importDatasetRoute, importDatasetHandler)
  .openapi(listDatasetsRoute, listDatasetsHandler)
  .openapi(getDatasetRoute, getDatasetHandler)
  .openapi(listDatasetItemsRoute, listDatasetItemsHandler)
  .openapi(getDatasetItemRoute, getDatasetItemHandler)
  .openapi(deleteDatasetRoute, deleteDatasetHandler);
