import type { AppDeps } from "../deps";
import { searchJudgments, type JudgmentListRow, type JudgmentSearch } from "../db/queries/dashboard";
import { listEvaluators, type EvaluatorRow } from "../db/queries/evaluators";
import { findHeldoutByJudgment, type HeldoutRow } from "../db/queries/heldout";
import { getJudgment, type JudgmentWithNames } from "../db/queries/judgments";
import { listVersions, type VersionRow } from "../db/queries/versions";
import { requireVersion, resolveEvaluator } from "../evaluators/lookup";
import { ApiError } from "../lib/errors";
import type { PageCursor } from "../lib/page-cursor";
import { inScope, type EvaluatorScope } from "../lib/tenant";

// The console's judgments browser and a judgment's page (touches the database): four queries
// per page of results, two for one judgment.

export type JudgmentsQuery = Omit<JudgmentSearch, "evaluatorId" | "versionId"> & {
  evaluator?: string;
  version?: string;
  limit: number;
  after?: PageCursor;
  /** The session key's evaluators (null: all); others are invisible, as in the API. */
  scope?: EvaluatorScope;
};

export type JudgmentsView = {
  evaluators: EvaluatorRow[];
  evaluator: EvaluatorRow;
  versions: VersionRow[];
  rows: JudgmentListRow[];
  next: PageCursor | null;
};

export async function judgmentsView(deps: Pick<AppDeps, "database">, q: JudgmentsQuery): Promise<JudgmentsView> {
  const db = deps.database.db;
  const evaluators = (await listEvaluators(db)).filter((e) => inScope(q.scope, e.id));
  // A key bound to some evaluators starts on its first one rather than on `default`.
  const wanted = q.evaluator ?? (q.scope && !evaluators.some((e) => e.name === "default") ? evaluators[0]?.name : undefined);
  const evaluator = await resolveEvaluator(db, wanted, q.scope ?? null);
  const versions = await listVersions(db, evaluator.id);
  const versionId = q.version ? (await requireVersion(db, evaluator, q.version)).id : undefined;
  const { page, next } = await searchJudgments(
    db,
    {
      evaluatorId: evaluator.id,
      ...(versionId ? { versionId } : {}),
      ...(q.verdict ? { verdict: q.verdict } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(q.text ? { text: q.text } : {}),
    },
    { limit: q.limit, ...(q.after ? { after: q.after } : {}) },
  );
  return { evaluators, evaluator, versions, rows: page, next };
}

export type JudgmentView = { judgment: JudgmentWithNames; heldout: HeldoutRow | null };

export async function judgmentView(deps: Pick<AppDeps, "database">, id: string, scope?: EvaluatorScope): Promise<JudgmentView> {
  const db = deps.database.db;
  const judgment = await getJudgment(db, id);
  if (!judgment || !inScope(scope, judgment.evaluatorId)) throw new ApiError("not_found", `no judgment ${id}`);
  return { judgment, heldout: (await findHeldoutByJudgment(db, id)) ?? null };
}
