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
    const evaluators = field(body, "evaluators")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const limit = (k: string) => {
      const v = field(body, k);
      if (!v) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new ApiError("validation_failed", `${k}: a whole number, at least 1`);
      return n;
    };
    const rpm = limit("rate_limit_rpm");
    const tokens = limit("token_budget_per_day");
    const created = await createKey(c.var.deps, {
      name,
      scope,
      ...(evaluators.length ? { evaluators } : {}),
      ...(rpm ? { rateLimitRpm: rpm } : {}),
      ...(tokens ? { tokenBudgetPerDay: tokens } : {}),
    });
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
