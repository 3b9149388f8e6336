// The held-out page and its JSONL upload (speaks HTTP; admin only).
import type { Hono } from "hono";
import { heldoutView } from "../../dashboard";
import { importHeldout } from "../../heldout";
import { ApiError } from "../../lib/errors";
import { parseHeldoutJsonl } from "../../routes/heldout/heldout.jsonl";
import { HeldoutPage } from "../pages/heldout";
import { render, requireAdmin } from "../render";
import type { UiEnv } from "../ui-env";

export function registerHeldoutRoutes(ui: Hono<UiEnv>): void {
  ui.get("/ui/heldout", async (c) => {
    requireAdmin(c);
    const view = await heldoutView(c.var.deps, { evaluator: c.req.query("evaluator") || undefined });
    return render(c, "Held-out set", (ctx) => <HeldoutPage ctx={ctx} view={view} canEvaluate={Boolean(c.var.deps.jobs)} />, { charts: true });
  });

  ui.post("/ui/heldout/upload", async (c) => {
    requireAdmin(c);
    const evaluator = c.req.query("evaluator") || undefined;
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) throw new ApiError("validation_failed", "choose a JSONL file to upload");
    const result = await importHeldout(c.var.deps, { evaluator, items: parseHeldoutJsonl(await file.text()) });
    const view = await heldoutView(c.var.deps, { evaluator });
    return render(c, "Held-out set", (ctx) => <HeldoutPage ctx={ctx} view={view} result={result} canEvaluate={Boolean(c.var.deps.jobs)} />, { charts: true });
  });
}
