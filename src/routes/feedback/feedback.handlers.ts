import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { recordFeedback } from "../../heldout";
import type { postFeedback } from "./feedback.routes";
import { presentFeedback } from "./feedback.present";

export const postFeedbackHandler: RouteHandler<typeof postFeedback, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { preferred, note } = c.req.valid("json");
  const outcome = await recordFeedback(c.var.deps, { judgmentId: id, preferred, ...(note !== undefined ? { note } : {}) });
  return c.json(presentFeedback(outcome, preferred), outcome.created ? 201 : 200);
};
