// GET / — the overview (speaks HTTP). A judge-scope session lands on its judgments instead.
import type { Hono } from "hono";
import { overviewView } from "../../dashboard";
import { OverviewPage } from "../pages/overview";
import { render } from "../render";
import type { UiEnv } from "../ui-env";

export function registerOverviewRoutes(ui: Hono<UiEnv>): void {
  ui.get("/", async (c) => {
    if (c.var.auth.scope !== "admin") return c.redirect("/ui/judgments", 303);
    const view = await overviewView(c.var.deps);
    return render(c, "Overview", (ctx) => <OverviewPage ctx={ctx} view={view} />, { charts: true });
  });
}
