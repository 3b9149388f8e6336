import type { AppDeps } from "../deps";
import {
  getJudgment as getJudgmentRow,
  listJudgments as listJudgmentRows,
  type JudgmentFilters,
  type JudgmentWithNames,
} from "../db/queries/judgments";
import { requireVersion, resolveEvaluator } from "../evaluators/lookup";
import { ApiError } from "../lib/errors";
import type { PageCursor } from "../lib/page-cursor";
import { inScope, type EvaluatorScope } from "../lib/tenant";

// Stored judgments, read back (touches the database).

/** One judgment with its evaluator and version names, or a 404 problem. */
export async function getJudgment(deps: Pick<AppDeps, "database">, id: string, scope?: EvaluatorScope): Promise<JudgmentWithNames> {
  const row = await getJudgmentRow(deps.database.db, id);
  if (!row || !inScope(scope, row.evaluatorId)) throw new ApiError("not_found", `no judgment ${id}`);
  return row;
}

/** One page of an evaluator's judgments, newest first; `version` is an id or a name. */
export async function listJudgments(
  deps: Pick<AppDeps, "database">,
  p: { evaluator?: string; version?: string; scope?: EvaluatorScope; filter: Omit<JudgmentFilters, "evaluatorId" | "versionId">; page: { limit: number; after?: PageCursor } },
): Promise<{ rows: JudgmentWithNames[]; next: PageCursor | null }> {
  const db = deps.database.db;
  const evaluator = await resolveEvaluator(db, p.evaluator, p.scope);
  const versionId = p.version !== undefined ? (await requireVersion(db, evaluator, p.version)).id : undefined;
  return listJudgmentRows(db, { ...p.filter, evaluatorId: evaluator.id, ...(versionId ? { versionId } : {}) }, p.page);
}
