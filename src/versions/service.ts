import { validateProviderSettings } from "../auth/resolve-key";
import type { AppDeps } from "../deps";
import { insertAuditEvent, listAuditEvents as listAuditRows, type AuditEventWithNames } from "../db/queries/audit";
import type { EvaluatorRow } from "../db/queries/evaluators";
import { getRun } from "../db/queries/training";
import { insertVersion, listVersions as listVersionRows, type VersionRow } from "../db/queries/versions";
import type { FewShotExample, JuryMember, VersionParams, VersionStatus, VersionTemplate } from "../db/schema";
import { requireActiveVersion, requireVersion, resolveEvaluator } from "../evaluators/lookup";
import { templatePrompt } from "../judging/templates";
import { ApiError } from "../lib/errors";
import type { PageCursor } from "../lib/page-cursor";
import { onExternalModelRegistered } from "../training/service";
import { changeActiveVersion, type ActivationResult } from "./activation";

// Judge versions of an evaluator and the audit trail of their changes (touches the database).
// Every function resolves the evaluator by name (default `default`) and returns it alongside.

type Db = Pick<AppDeps, "database">;

export async function listVersions(
  deps: Db,
  p: { evaluator?: string; status?: VersionStatus },
): Promise<{ evaluator: EvaluatorRow; versions: VersionRow[] }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const versions = (await listVersionRows(db, evaluator.id)).filter((v) => !p.status || v.status === p.status);
  return { evaluator, versions };
}

/** The active version; 404 when the evaluator has none. */
export async function getActiveVersion(deps: Db, p: { evaluator?: string }): Promise<{ evaluator: EvaluatorRow; version: VersionRow }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  return { evaluator, version: await requireActiveVersion(db, evaluator) };
}

/** A version by id or name (`v3`); 404 when unknown. */
export async function getVersion(deps: Db, p: { evaluator?: string; id: string }): Promise<{ evaluator: EvaluatorRow; version: VersionRow }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  return { evaluator, version: await requireVersion(db, evaluator, p.id) };
}

export type RegisterVersionParams = {
  evaluator?: string;
  /** Required unless `members` is given. */
  model?: string;
  baseUrl?: string;
  /** SELFJUDGE_KEY_<NAME> holding the key for baseUrl. */
  apiKeyEnv?: string;
  /** A jury (2+ members); the version's `model` then shows the first member's. */
  members?: JuryMember[];
  /** Output format; default "standard". */
  template?: VersionTemplate;
  /** Default: the template's built-in prompt. */
  promptTemplate?: string;
  fewShot?: FewShotExample[];
  params?: VersionParams;
  notes?: string;
  trainingRunId?: string;
  iteration?: number;
  actor: string | null;
};

/**
 * Registers an immutable candidate version (audited). One that names a training run waiting for
 * its externally trained model resumes that run with it as the candidate.
 */
export async function registerVersion(
  deps: Pick<AppDeps, "database" | "jobs" | "clock" | "config">,
  p: RegisterVersionParams,
): Promise<{ evaluator: EvaluatorRow; version: VersionRow }> {
  const db = deps.database.db;
  const provider = validateProviderSettings(deps.config.llm.providers, p);
  const evaluator = await resolveEvaluator(db, p.evaluator);
  if (p.trainingRunId) {
    const run = await getRun(db, p.trainingRunId);
    if (!run || run.evaluatorId !== evaluator.id) {
      throw new ApiError("validation_failed", `training_run_id: evaluator '${evaluator.name}' has no training run ${p.trainingRunId}`, {
        errors: [{ path: "training_run_id", message: "unknown training run" }],
      });
    }
  }
  const model = p.members?.[0]?.model ?? p.model;
  if (!model) throw new ApiError("validation_failed", "model is required (or members, for a jury)", { errors: [{ path: "model", message: "required" }] });
  const members = p.members?.map((m) => ({
    model: m.model,
    ...(m.base_url ? { base_url: m.base_url } : {}),
    weight: m.weight ?? 1,
    ...(m.api_key_env ? { api_key_env: m.api_key_env } : {}),
  }));
  const row = await insertVersion(db, {
    evaluatorId: evaluator.id,
    model,
    members: members ?? null,
    baseUrl: provider.baseUrl,
    apiKeyEnv: provider.apiKeyEnv,
    template: p.template ?? "standard",
    promptTemplate: p.promptTemplate ?? templatePrompt(p.template ?? "standard"),
    fewShot: p.fewShot ?? [],
    params: p.params ?? {},
    status: "candidate",
    notes: p.notes ?? null,
    trainingRunId: p.trainingRunId ?? null,
    iteration: p.iteration ?? null,
  });
  await insertAuditEvent(db, {
    evaluatorId: evaluator.id,
    action: "register",
    actor: p.actor,
    reason: p.notes ?? null,
    details: {
      version_id: row.id,
      version: row.name,
      model: row.model,
      template: row.template,
      ...(row.members ? { members: row.members.map((m) => m.model) } : {}),
      training_run_id: row.trainingRunId,
    },
  });
  // A training run waiting for this externally trained model goes on with it as its candidate.
  if (row.trainingRunId) await onExternalModelRegistered(deps, row.trainingRunId, row.id);
  return { evaluator, version: row };
}

/** Makes a version the active one (one transaction, audited). */
export async function activateVersion(
  deps: Db,
  p: { evaluator?: string; id: string; actor: string | null; reason: string },
): Promise<{ evaluator: EvaluatorRow; result: ActivationResult }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const target = await requireVersion(db, evaluator, p.id);
  const result = await changeActiveVersion(db, {
    evaluatorId: evaluator.id,
    action: "activate",
    target: { versionId: target.id },
    actor: p.actor,
    reason: p.reason,
  });
  return { evaluator, result };
}

/** Re-activates the version that was active before the current one (the activation history as a stack). */
export async function rollbackVersion(
  deps: Db,
  p: { evaluator?: string; actor: string | null; reason: string | null },
): Promise<{ evaluator: EvaluatorRow; result: ActivationResult }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const result = await changeActiveVersion(db, {
    evaluatorId: evaluator.id,
    action: "rollback",
    target: { rollback: true },
    actor: p.actor,
    reason: p.reason,
  });
  return { evaluator, result };
}

/** One page of an evaluator's audit trail, newest first, with version names joined in. */
export async function listAuditEvents(
  deps: Db,
  p: { evaluator?: string; action?: string; actor?: string; page: { limit: number; after?: PageCursor } },
): Promise<{ rows: AuditEventWithNames[]; next: PageCursor | null }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  return listAuditRows(
    db,
    { evaluatorId: evaluator.id, ...(p.action ? { action: p.action } : {}), ...(p.actor ? { actor: p.actor } : {}) },
    p.page,
  );
}
