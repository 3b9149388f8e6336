// The judgments browser, a judgment's page and its feedback form (speaks HTTP). Judge-scope
// sessions may browse and read; labelling (held-out gold) is admin-only, as in the API.
import type { Context, Hono } from "hono";
import { judgmentsView, judgmentView } from "../../dashboard";
import { recordFeedback } from "../../heldout";
import { ApiError } from "../../lib/errors";
import { decodePageCursor, encodePageCursor } from "../../lib/page-cursor";
import { isUuid } from "../../lib/uuid";
import { JudgmentPage, JudgmentsPage, type JudgmentFilterValues } from "../pages/judgments";
import { doneRedirect, field, render, requireAdmin } from "../render";
import type { UiEnv } from "../ui-env";

const PAGE_SIZE = 50;

/** `datetime-local` values are read as UTC; a bad one is a 422, not a silent "any". */
function parseWhen(name: string, v: string): Date | undefined {
  if (!v) return undefined;
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
  if (Number.isNaN(d.getTime())) throw new ApiError("validation_failed", `${name}: not a date and time`);
  return d;
}

function filtersOf(c: Context<UiEnv>): JudgmentFilterValues {
  const q = (k: string) => (c.req.query(k) ?? "").trim();
  return { evaluator: q("evaluator"), version: q("version"), verdict: q("verdict"), status: q("status"), from: q("from"), to: q("to"), q: q("q").slice(0, 200) };
}

export function registerJudgmentRoutes(ui: Hono<UiEnv>): void {
  ui.get("/ui/judgments", async (c) => {
    const f = filtersOf(c);
    const cursor = c.req.query("cursor");
    if (f.verdict && !["A", "B", "tie"].includes(f.verdict)) throw new ApiError("validation_failed", "verdict: A, B or tie");
    if (f.status && !["ok", "failed"].includes(f.status)) throw new ApiError("validation_failed", "status: ok or failed");
    const view = await judgmentsView(c.var.deps, {
      ...(f.evaluator ? { evaluator: f.evaluator } : {}),
      ...(f.version ? { version: f.version } : {}),
      ...(f.verdict ? { verdict: f.verdict as "A" | "B" | "tie" } : {}),
      ...(f.status ? { status: f.status as "ok" | "failed" } : {}),
      ...(parseWhen("from", f.from) ? { from: parseWhen("from", f.from)! } : {}),
      ...(parseWhen("to", f.to) ? { to: parseWhen("to", f.to)! } : {}),
      ...(f.q ? { text: f.q } : {}),
      limit: PAGE_SIZE,
      scope: c.var.auth.evaluatorIds,
      ...(cursor ? { after: decodePageCursor(cursor) } : {}),
    });
    let nextHref: string | null = null;
    if (view.next) {
      const params = new URLSearchParams(Object.entries({ ...f, evaluator: view.evaluator.name }).filter(([, v]) => v !== ""));
      params.set("cursor", encodePageCursor(view.next));
      nextHref = `/ui/judgments?${params.toString()}`;
    }
    return render(c, "Judgments", (ctx) => <JudgmentsPage ctx={ctx} view={view} filters={f} nextHref={nextHref} />);
  });

  ui.get("/ui/judgments/:id", async (c) => {
    const id = c.req.param("id");
    if (!isUuid(id)) throw new ApiError("not_found", `no judgment ${id}`);
    const view = await judgmentView(c.var.deps, id, c.var.auth.evaluatorIds);
    return render(c, `Judgment ${id.slice(0, 8)}`, (ctx) => <JudgmentPage ctx={ctx} view={view} />);
  });

  ui.post("/ui/judgments/:id/feedback", async (c) => {
    requireAdmin(c);
    const id = c.req.param("id");
    if (!isUuid(id)) throw new ApiError("not_found", `no judgment ${id}`);
    const body = await c.req.parseBody();
    const preferred = field(body, "preferred");
    if (preferred !== "A" && preferred !== "B" && preferred !== "tie") throw new ApiError("validation_failed", "choose A better, B better or tie");
    const note = field(body, "note").slice(0, 1000);
    const out = await recordFeedback(c.var.deps, { judgmentId: id, preferred, ...(note ? { note } : {}) });
    const what = preferred === "tie" ? "a tie" : `${preferred} better`;
    return doneRedirect(
      c,
      `/ui/judgments/${id}#feedback`,
      out.created ? `Thanks: this pair is now held-out gold (${what}).` : `Label updated: ${what}.`,
    );
  });
}
