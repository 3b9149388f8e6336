// The held-out & datasets page, its JSONL upload and its benchmark dataset upload (speaks HTTP; admin only).
import type { Hono } from "hono";
import { heldoutView } from "../../dashboard";
import { importDataset } from "../../datasets";
import { importHeldout } from "../../heldout";
import { ApiError } from "../../lib/errors";
import { CONSOLE_DATASET_UPLOAD } from "../../lib/streamed-upload";
import { DatasetFormatSchema, DatasetName } from "../../routes/datasets/datasets.schemas";
import { uploadKind, uploadRecords, type UploadKind } from "../../routes/datasets/datasets.upload";
import { parseHeldoutJsonl } from "../../routes/heldout/heldout.jsonl";
import { HeldoutPage } from "../pages/heldout";
import { doneRedirect, field, render, requireAdmin } from "../render";
import type { UiEnv } from "../ui-env";

const TITLE = "Held-out set & datasets";

/** A browser sends its own guess of a file's type (often none for .jsonl/.parquet): go by the extension first. */
function kindOfFile(file: File): UploadKind {
  const ext = file.name.toLowerCase().split(".").pop();
  if (ext === "jsonl" || ext === "ndjson") return "jsonl";
  if (ext === "json") return "json";
  if (ext === "parquet") return "parquet";
  return uploadKind(file.type);
}

export function registerHeldoutRoutes(ui: Hono<UiEnv>): void {
  ui.get("/ui/heldout", async (c) => {
    requireAdmin(c);
    const view = await heldoutView(c.var.deps, { evaluator: c.req.query("evaluator") || undefined });
    return render(c, TITLE, (ctx) => <HeldoutPage ctx={ctx} view={view} canEvaluate={Boolean(c.var.deps.jobs)} />, { charts: true });
  });

  ui.post("/ui/heldout/upload", async (c) => {
    requireAdmin(c);
    const evaluator = c.req.query("evaluator") || undefined;
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) throw new ApiError("validation_failed", "choose a JSONL file to upload");
    const result = await importHeldout(c.var.deps, { evaluator, items: parseHeldoutJsonl(await file.text()) });
    const view = await heldoutView(c.var.deps, { evaluator });
    return render(c, TITLE, (ctx) => <HeldoutPage ctx={ctx} view={view} result={result} canEvaluate={Boolean(c.var.deps.jobs)} />, { charts: true });
  });

  // A benchmark dataset from the browser (multipart; the API's POST /v1/datasets streams instead).
  ui.post(CONSOLE_DATASET_UPLOAD, async (c) => {
    requireAdmin(c);
    const body = await c.req.parseBody();
    const evaluator = field(body, "evaluator") || undefined;
    const name = DatasetName.safeParse(field(body, "name"));
    const format = DatasetFormatSchema.safeParse(field(body, "format"));
    const file = body.file;
    if (!name.success) throw new ApiError("validation_failed", `name: ${name.error.issues[0]?.message ?? "invalid"}`);
    if (!format.success) throw new ApiError("validation_failed", `format: one of ${DatasetFormatSchema.options.join(", ")}`);
    if (!(file instanceof File) || file.size === 0) throw new ApiError("validation_failed", "choose a JSONL, JSON or Parquet file to upload");
    const upload = await uploadRecords(kindOfFile(file), file.stream());
    try {
      const r = await importDataset(c.var.deps, { evaluator, name: name.data, format: format.data, records: upload.records, actor: c.var.auth.actor });
      const subsets = Object.keys(r.subsets).length;
      return doneRedirect(
        c,
        `/ui/heldout${evaluator ? `?evaluator=${encodeURIComponent(evaluator)}` : ""}`,
        `Dataset ${name.data} imported: ${r.inserted} items in ${subsets} subset${subsets === 1 ? "" : "s"} (${r.duplicates} duplicates of ${r.received} rows).`,
      );
    } finally {
      await upload.cleanup();
    }
  });
}
