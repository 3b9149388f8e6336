import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { pageQueryFields, pageResponse } from "../../lib/paging";
import { EvaluatorSelector } from "../common.schemas";

const Ref = z.object({ id: z.uuid(), name: z.string() });

export const AuditEventSchema = z
  .object({
    id: z.uuid(),
    evaluator: z.string().nullable(),
    action: z.string().openapi({
      description:
        "activate | rollback | promote (the active version changed: `from` → `to`), reject (the gate refused a " +
        "candidate), promote_skipped (the gate passed but the active version had changed), register (a version was added)",
    }),
    from: Ref.nullable().openapi({ description: "Active version before (activation actions)" }),
    to: Ref.nullable().openapi({ description: "Active version after (activation actions)" }),
    actor: z.string().nullable().openapi({ description: "Key id, `admin-env` for SELFJUDGE_ADMIN_KEY, null with auth off" }),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
  })
  .openapi("AuditEvent");

export const listAudit = createRoute({
  method: "get",
  path: "/v1/audit",
  tags: ["versions"],
  summary: "The audit trail of version changes, newest first, cursor-paged",
  request: {
    query: z.object({
      evaluator: EvaluatorSelector,
      action: z.enum(["activate", "rollback", "promote", "reject", "promote_skipped", "register"]).optional(),
      actor: z.string().min(1).max(100).optional(),
      ...pageQueryFields({ max: 500, default: 50 }),
    }),
  },
  responses: {
    200: pageResponse(AuditEventSchema, "AuditPage"),
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});
