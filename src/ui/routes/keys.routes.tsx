// API keys: list, create (the secret shown once, on the response to the post), revoke (speaks HTTP; admin only).
import type { Hono } from "hono";
import { createKey, listKeys, revokeKey } from "../../keys";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";
import { KeysPage } from "../pages/keys";
import { doneRedirect, field, render, requireAdmin } from "../render";
import type { UiEnv } from "../ui-env";

export function registerKeyRoutes(ui: Hono<UiEnv>): void {
  ui.get("/ui/keys", async (c) => {
    requireAdmin(c);
    const keys = await listKeys(c.var.deps);
    return render(c, "API keys", (ctx) => <KeysPage ctx={ctx} keys={keys} />);
  });

  ui.post("/ui/keys", async (c) => {
    requireAdmin(c);
    const body = await c.req.parseBody();
    const name = field(body, "name");
    const scope = field(body, "scope");
    if (!name || name.length > 100) throw new ApiError("validation_failed", "name: 1 to 100 characters");
    if (scope !== "judge" && scope !== "admin") throw new ApiError("validation_failed", "scope: judge or admin");
    const created = await createKey(c.var.deps, { name, scope });
    const keys = await listKeys(c.var.deps);
    return render(c, "API keys", (ctx) => <KeysPage ctx={ctx} keys={keys} created={created} />, { status: 201 });
  });

  ui.post("/ui/keys/:id/revoke", async (c) => {
    requireAdmin(c);
    const id = c.req.param("id");
    if (!isUuid(id)) throw new ApiError("not_found", `no active key ${id}`);
    const key = await revokeKey(c.var.deps, id);
    return doneRedirect(c, "/ui/keys", `Key “${key.name}” revoked.`);
  });
}
