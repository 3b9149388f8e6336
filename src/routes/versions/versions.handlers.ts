import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-types";
import {
  activateVersion as activateVersionFn,
  getActiveVersion,
  getVersion as getVersionFn,
  listVersions as listVersionsFn,
  registerVersion as registerVersionFn,
  rollbackVersion,
} from "../../versions";
import type { activateVersion, getActive, getVersion, listVersions, registerVersion, rollback } from "./versions.routes";
import { presentActivation, presentVersion } from "./versions.present";

export const listVersionsHandler: RouteHandler<typeof listVersions, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const { evaluator, versions } = await listVersionsFn(c.var.deps, { evaluator: q.evaluator, ...(q.status ? { status: q.status } : {}) });
  return c.json({ data: versions.map((v) => presentVersion(v, evaluator.name)) }, 200);
};

export const getActiveHandler: RouteHandler<typeof getActive, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const { evaluator, version } = await getActiveVersion(c.var.deps, { evaluator: q.evaluator });
  return c.json(presentVersion(version, evaluator.name), 200);
};

export const getVersionHandler: RouteHandler<typeof getVersion, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const { evaluator, version } = await getVersionFn(c.var.deps, { evaluator: q.evaluator, id });
  return c.json(presentVersion(version, evaluator.name), 200);
};

export const registerVersionHandler: RouteHandler<typeof registerVersion, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const { evaluator, version } = await registerVersionFn(c.var.deps, {
    evaluator: body.evaluator,
    ...(body.members !== undefined ? { members: body.members } : { model: body.model! }),
    ...(body.base_url !== undefined ? { baseUrl: body.base_url } : {}),
    ...(body.api_key_env !== undefined ? { apiKeyEnv: body.api_key_env } : {}),
    ...(body.template !== undefined ? { template: body.template } : {}),
    ...(body.prompt_template !== undefined ? { promptTemplate: body.prompt_template } : {}),
    ...(body.few_shot !== undefined ? { fewShot: body.few_shot } : {}),
    ...(body.params !== undefined ? { params: body.params } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.training_run_id !== undefined ? { trainingRunId: body.training_run_id } : {}),
    ...(body.iteration !== undefined ? { iteration: body.iteration } : {}),
    actor: c.var.auth.actor,
  });
  return c.json(presentVersion(version, evaluator.name), 201);
};

export const activateVersionHandler: RouteHandler<typeof activateVersion, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { evaluator, result } = await activateVersionFn(c.var.deps, {
    evaluator: body.evaluator,
    id,
    actor: c.var.auth.actor,
    reason: body.reason,
  });
  return c.json(presentActivation(result, evaluator.name), 200);
};

export const rollbackHandler: RouteHandler<typeof rollback, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const { evaluator, result } = await rollbackVersion(c.var.deps, {
    evaluator: body.evaluator,
    actor: c.var.auth.actor,
    reason: body.reason ?? null,
  });
  return c.json(presentActivation(result, evaluator.name), 200);
};
