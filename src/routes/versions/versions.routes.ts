import { createRoute, z } from "@hono/zod-openapi";
import { COMMON_ERRORS, errorResponses } from "../../lib/errors";
import { ActivationResultSchema, RegisterVersionSchema, VersionSchema } from "./versions.schemas";
import { EvaluatorSelector } from "../common.schemas";

const EvaluatorQuery = z.object({
  evaluator: EvaluatorSelector,
});

export const listVersions = createRoute({
  method: "get",
  path: "/v1/versions",
  tags: ["versions"],
  summary: "Every version of an evaluator, newest first, with status and latest metrics",
  request: {
    query: EvaluatorQuery.extend({ status: z.enum(["candidate", "active", "retired", "rejected"]).optional() }),
  },
  responses: {
    200: { description: "Versions", content: { "application/json": { schema: z.object({ data: z.array(VersionSchema) }) } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const getActive = createRoute({
  method: "get",
  path: "/v1/versions/active",
  tags: ["versions"],
  summary: "The active version (read from the database on every call)",
  request: { query: EvaluatorQuery },
  responses: {
    200: { description: "The active version", content: { "application/json": { schema: VersionSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const getVersion = createRoute({
  method: "get",
  path: "/v1/versions/{id}",
  tags: ["versions"],
  summary: "One version, by id or name (`v3`)",
  request: { params: z.object({ id: z.string().min(1).max(100) }), query: EvaluatorQuery },
  responses: {
    200: { description: "The version", content: { "application/json": { schema: VersionSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const registerVersion = createRoute({
  method: "post",
  path: "/v1/versions",
  tags: ["versions"],
  summary: "Register a candidate version (named v<N> automatically; immutable afterwards)",
  description:
    "The new version is a `candidate`: it serves only requests that pin it, until it is activated " +
    "(POST /v1/versions/{id}/activate) or promoted by an evaluation with `promote: true`. Writes an audit event `register`.",
  request: { body: { required: true, content: { "application/json": { schema: RegisterVersionSchema } } } },
  responses: {
    201: { description: "Registered", content: { "application/json": { schema: VersionSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404),
  },
});

export const activateVersion = createRoute({
  method: "post",
  path: "/v1/versions/{id}/activate",
  tags: ["versions"],
  summary: "Make a version the active one (promote, or go back to any earlier version)",
  description:
    "In one transaction: the current active version becomes `retired`, this one `active`, and an audit event " +
    "`activate` records from, to, the key and the reason. Any version can be activated, including one the " +
    "promotion gate rejected (an explicit admin override; the audit event's details keep `previous_status`). " +
    "409 when it is already active.",
  request: {
    params: z.object({ id: z.string().min(1).max(100).openapi({ description: "Version id or name" }) }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .strictObject({
              evaluator: EvaluatorSelector,
              reason: z.string().trim().min(1).max(2000).openapi({ description: "Why; stored in the audit trail" }),
            })
            .openapi("ActivateVersion"),
        },
      },
    },
  },
  responses: {
    200: { description: "Activated", content: { "application/json": { schema: ActivationResultSchema } } },
    ...errorResponses(...COMMON_ERRORS, 404, 409),
  },
});

export const rollback = createRoute({
  method: "post",
  path: "/v1/versions/rollback",
  tags: ["versions"],
  summary: "Go back to the previously active version in one call",
  description:
    "Undoes the most recent activation that has not been undone yet, as recorded in the audit trail: after " +
    "v1 → v2 → v3, rollback activates v2, and a second rollback v1 (it does not flip back to v3; activate v3 " +
    "by name to go forward). 409 when there is no earlier active version.",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .strictObject({
              evaluator: EvaluatorSelector,
              reason: z.string().trim().min(1).max(2000).optional(),
            })
            .openapi("RollbackVersion"),
        },
      },
    },
  },
  responses: {
    200: { description: "Rolled back", content: { "application/json": { schema: ActivationResultSchema } } },
    ...errorResponses(...COMMON_ERRORS, 409),
  },
});
