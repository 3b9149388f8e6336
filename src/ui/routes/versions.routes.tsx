// An evaluator's versions page and its Activate / Roll back forms (speaks HTTP; admin only).
import type { Hono } from "hono";
import { versionsView } from "../../dashboard";
import { ApiError } from "../../lib/errors";
import { activateVersion, rollbackVersion } from "../../versions";
import { VersionsPage } from "../pages/versions";
import { actor, doneRedirect, field, render, requireAdmin } from "../render";
import type { UiEnv } from "../ui-env";

function reasonOf(body: Record<string, unknown>): string {
  const reason = field(body, "reason");
  if (reason.length < 3) throw new ApiError("validation_failed", "give a reason (at least 3 characters): it goes to the audit trail");
  return reason.slice(0, 500);
}

export function registerVersionRoutes(ui: Hono<UiEnv>): void {
  ui.get("/ui/evaluators/:name", async (c) => {
    requireAdmin(c);
    const view = await versionsView(c.var.deps, { evaluator: c.req.param("name") });
    return render(c, `Evaluator ${view.evaluator.name}`, (ctx) => <VersionsPage ctx={ctx} {...view} />, { charts: true });
  });

  ui.post("/ui/evaluators/:name/rollback", async (c) => {
    requireAdmin(c);
    const name = c.req.param("name");
    const reason = reasonOf(await c.req.parseBody());
    const { result } = await rollbackVersion(c.var.deps, { evaluator: name, actor: actor(c), reason });
    return doneRedirect(c, `/ui/evaluators/${encodeURIComponent(name)}`, `Rolled back: ${result.to.name} is active again.`);
  });

  ui.post("/ui/evaluators/:name/activate", async (c) => {
    requireAdmin(c);
    const name = c.req.param("name");
    const body = await c.req.parseBody();
    const version = field(body, "version");
    if (!version) throw new ApiError("validation_failed", "choose a version to activate");
    const reason = reasonOf(body);
    const { result } = await activateVersion(c.var.deps, { evaluator: name, id: version, actor: actor(c), reason });
    return doneRedirect(c, `/ui/evaluators/${encodeURIComponent(name)}`, `${result.to.name} is now the active version.`);
  });
}
