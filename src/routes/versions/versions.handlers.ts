import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import { insertAuditEvent } from "../../db/queries/audit";
import { insertVersion, listVersions as listVersionRows } from "../../db/queries/versions";
import { getRun } from "../../db/queries/training";
import { changeActiveVersion, type ActivationResult } from "../../versions/activation";
import { DEFAULT_JUDGE_TEMPLATE } from "../../judging";
import { ApiError } from "../../lib/errors";
import { onExternalModelRegistered } from "../../training/service";
import { requireActiveVersion, requireVersion, resolveEvaluator } from "../../evaluators/lookup";
import type { activateVersion, getActive, getVersion, listVersions, registerVersion, rollback } from "./versions.routes";
import { presentVersion } from "./versions.schemas";

export const listVersionsHandler: RouteHandler<typeof listVersions, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  const rows = (await listVersionRows(db, evaluator.id)).filter((v) => !q.status || v.status === q.status);
  return c.json({ data: rows.map((v) => presentVersion(v, evaluator.name)) }, 200);
};

export const getActiveHandler: RouteHandler<typeof getActive, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  return c.json(presentVersion(await requireActiveVersion(db, evaluator), evaluator.name), 200);
};

export const getVersionHandler: RouteHandler<typeof getVersion, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, q.evaluator);
  return c.json(presentVersion(await requireVersion(db, evaluator, id), evaluator.name), 200);
};

export const registerVersionHandler: RouteHandler<typeof registerVersion, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, body.evaluator);
  if (body.training_run_id) {
    const run = await getRun(db, body.training_run_id);
    if (!run || run.evaluatorId !== evaluator.id) {
      throw new ApiError("validation_failed", `training_run_id: evaluator '${evaluator.name}' has no training run ${body.training_run_id}`, {
        errors: [{ path: "training_run_id", message: "unknown training run" }],
      });
    }
  }
  const row = await insertVersion(db, {
    evaluatorId: evaluator.id,
    model: body.model,
    baseUrl: body.base_url ?? null,
    promptTemplate: body.prompt_template ?? DEFAULT_JUDGE_TEMPLATE,
    fewShot: body.few_shot ?? [],
    params: body.params ?? {},
    status: "candidate",
    notes: body.notes ?? null,
    trainingRunId: body.training_run_id ?? null,
    iteration: body.iteration ?? null,
  });
  await insertAuditEvent(db, {
    evaluatorId: evaluator.id,
    action: "register",
    actor: c.var.auth.actor,
    reason: body.notes ?? null,
    details: { version_id: row.id, version: row.name, model: row.model, training_run_id: row.trainingRunId },
  });
  // A training run waiting for this externally trained model goes on with it as its candidate.
  if (row.trainingRunId) await onExternalModelRegistered(c.var.deps, row.trainingRunId, row.id);
  return c.json(presentVersion(row, evaluator.name), 201);
};

function presentActivation(r: ActivationResult, evaluatorName: string) {
  return {
    version: presentVersion(r.to, evaluatorName),
    previous: r.from ? { id: r.from.id, name: r.from.name } : null,
    audit_event_id: r.event.id,
  };
}

export const activateVersionHandler: RouteHandler<typeof activateVersion, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, body.evaluator);
  const target = await requireVersion(db, evaluator, id);
  const result = await changeActiveVersion(db, {
    evaluatorId: evaluator.id,
    action: "activate",
    target: { versionId: target.id },
    actor: c.var.auth.actor,
    reason: body.reason,
  });
  return c.json(presentActivation(result, evaluator.name), 200);
};

export const rollbackHandler: RouteHandler<typeof rollback, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.var.deps.database.db;
  const evaluator = await resolveEvaluator(db, body.evaluator);
  const result = await changeActiveVersion(db, {
    evaluatorId: evaluator.id,
    action: "rollback",
    target: { rollback: true },
    actor: c.var.auth.actor,
    reason: body.reason ?? null,
  });
  return c.json(presentActivation(result, evaluator.name), 200);
};
