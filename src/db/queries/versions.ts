import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { evaluators, versions, type FewShotExample, type JuryMember, type VersionParams, type VersionStatus, type VersionTemplate } from "../schema";
import { isUniqueViolation } from "../errors";
import { isUuid } from "../../lib/uuid";

export type VersionRow = typeof versions.$inferSelect;


export async function getActiveVersion(db: Db, evaluatorId: string): Promise<VersionRow | undefined> {
  const [row] = await db
    .select()
    .from(versions)
    .where(and(eq(versions.evaluatorId, evaluatorId), eq(versions.status, "active")))
    .limit(1);
  return row;
}

/** A version of this evaluator by id or by name (`v3`). */
export async function findVersion(db: Db, evaluatorId: string, idOrName: string): Promise<VersionRow | undefined> {
  const byId = isUuid(idOrName);
  const [row] = await db
    .select()
    .from(versions)
    .where(and(eq(versions.evaluatorId, evaluatorId), byId ? eq(versions.id, idOrName) : eq(versions.name, idOrName)))
    .limit(1);
  return row;
}

export async function listVersions(db: Db, evaluatorId: string): Promise<VersionRow[]> {
  return db.select().from(versions).where(eq(versions.evaluatorId, evaluatorId)).orderBy(desc(versions.number));
}

export type NewVersion = {
  evaluatorId: string;
  model: string;
  baseUrl?: string | null;
  apiKeyEnv?: string | null;
  promptTemplate: string;
  template?: VersionTemplate;
  members?: JuryMember[] | null;
  fewShot?: FewShotExample[];
  params?: VersionParams;
  status?: VersionStatus;
  notes?: string | null;
  trainingRunId?: string | null;
  iteration?: number | null;
  activatedAt?: Date | null;
};

/**
 * Inserts the next `v<N>` of an evaluator. The number is computed inside the INSERT and the
 * unique index rejects a concurrent duplicate, so callers retry on conflict.
 */
export async function insertVersion(db: Db, v: NewVersion): Promise<VersionRow> {
  for (let attempt = 0; ; attempt++) {
    try {
      const next = sql<number>`(select coalesce(max(${versions.number}), 0) + 1 from ${versions} where ${versions.evaluatorId} = ${v.evaluatorId})`;
      const [row] = await db
        .insert(versions)
        .values({
          evaluatorId: v.evaluatorId,
          number: next,
          name: sql`'v' || ${next}`,
          model: v.model,
          baseUrl: v.baseUrl ?? null,
          apiKeyEnv: v.apiKeyEnv ?? null,
          promptTemplate: v.promptTemplate,
          template: v.template ?? "standard",
          members: v.members && v.members.length > 0 ? v.members : null,
          fewShot: v.fewShot ?? [],
          params: v.params ?? {},
          status: v.status ?? "candidate",
          notes: v.notes ?? null,
          trainingRunId: v.trainingRunId ?? null,
          iteration: v.iteration ?? null,
          activatedAt: v.activatedAt ?? null,
        })
        .returning();
      return row!;
    } catch (err) {
      if (attempt < 5 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/**
 * Serialises changes of an evaluator's active version: every activation takes this row lock
 * first, so concurrent activations queue instead of racing on the one-active index.
 */
export async function lockEvaluatorForVersionChange(db: Db, evaluatorId: string): Promise<boolean> {
  const rows = await db.select({ id: evaluators.id }).from(evaluators).where(eq(evaluators.id, evaluatorId)).for("update");
  return rows.length > 0;
}

export async function setVersionStatus(
  db: Db,
  id: string,
  status: VersionStatus,
  opts: { activatedAt?: SQL | Date } = {},
): Promise<VersionRow | undefined> {
  const [row] = await db
    .update(versions)
    .set({ status, ...(opts.activatedAt ? { activatedAt: opts.activatedAt } : {}) })
    .where(eq(versions.id, id))
    .returning();
  return row;
}

/** The evaluation numbers written onto a version (the only mutable part besides status). */
export async function setVersionEvaluation(
  db: Db,
  id: string,
  p: { metrics?: Record<string, unknown>; gateDecision?: Record<string, unknown> },
): Promise<void> {
  await db
    .update(versions)
    .set({
      ...(p.metrics !== undefined ? { metrics: p.metrics } : {}),
      ...(p.gateDecision !== undefined ? { gateDecision: p.gateDecision } : {}),
    })
    .where(eq(versions.id, id));
}
