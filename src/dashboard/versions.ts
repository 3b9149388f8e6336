import type { AppDeps } from "../deps";
import { listActivationEvents, listAuditEvents, type AuditEventWithNames } from "../db/queries/audit";
import type { EvaluatorRow } from "../db/queries/evaluators";
import { listVersions, type VersionRow } from "../db/queries/versions";
import { resolveEvaluator } from "../evaluators/lookup";
import { rollbackTarget } from "../versions/activation";

// What the console's versions page shows (touches the database): four queries, whatever the
// number of versions.

export type VersionsView = {
  evaluator: EvaluatorRow;
  versions: VersionRow[];
  audit: AuditEventWithNames[];
  /** Name of the version a rollback would re-activate, or null. */
  rollbackTo: string | null;
};

export async function versionsView(deps: Pick<AppDeps, "database">, p: { evaluator: string; auditLimit?: number }): Promise<VersionsView> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator);
  const [versions, audit, activations] = await Promise.all([
    listVersions(db, evaluator.id),
    listAuditEvents(db, { evaluatorId: evaluator.id }, { limit: p.auditLimit ?? 50 }),
    listActivationEvents(db, evaluator.id),
  ]);
  const active = versions.find((v) => v.status === "active") ?? null;
  const targetId = rollbackTarget(activations, active?.id ?? null);
  return {
    evaluator,
    versions,
    audit: audit.rows,
    rollbackTo: targetId ? (versions.find((v) => v.id === targetId)?.name ?? null) : null,
  };
}
