import type { AppDeps } from "../deps";
import {
  evaluatorIdsByNames,
  evaluatorNamesByIds,
  insertKey,
  listKeys as listKeyRows,
  revokeKey as revokeKeyRow,
  type KeyRow,
} from "../db/queries/keys";
import type { KeyScope } from "../db/schema";
import { ApiError } from "../lib/errors";
import { sha256Hex } from "../lib/hash";

// Scoped API keys: stored hashed, the secret shown once (touches the database).

/** A key with the names of the evaluators it is bound to (null = every evaluator). */
export type KeyWithEvaluators = KeyRow & { evaluatorNames: string[] | null };

function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let b64 = btoa(String.fromCharCode(...bytes));
  b64 = b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `sj_${b64}`;
}

export interface CreateKeyParams {
  name: string;
  scope: KeyScope;
  /** Evaluator names a judge key is bound to; absent = every evaluator. */
  evaluators?: string[];
  rateLimitRpm?: number | null;
  tokenBudgetPerDay?: number | null;
}

/** A new key; `secret` exists only in this return value (the database keeps its hash and prefix). */
export async function createKey(
  deps: Pick<AppDeps, "database">,
  p: CreateKeyParams,
): Promise<{ key: KeyWithEvaluators; secret: string }> {
  const db = deps.database.db;
  let evaluatorIds: string[] | null = null;
  let evaluatorNames: string[] | null = null;
  if (p.evaluators !== undefined) {
    // Admin keys manage the whole deployment (evaluators, keys); binding them would be a false promise.
    if (p.scope === "admin") {
      throw new ApiError("validation_failed", "evaluators: only judge keys can be bound to evaluators", {
        errors: [{ path: "evaluators", message: "only judge keys can be bound to evaluators" }],
      });
    }
    evaluatorNames = [...new Set(p.evaluators)];
    const ids = await evaluatorIdsByNames(db, evaluatorNames);
    const unknown = evaluatorNames.filter((n) => !ids.has(n));
    if (unknown.length > 0) {
      throw new ApiError("validation_failed", `evaluators: no evaluator named ${unknown.map((n) => `'${n}'`).join(", ")}`, {
        errors: unknown.map((n) => ({ path: "evaluators", message: `no evaluator named '${n}'` })),
      });
    }
    evaluatorIds = evaluatorNames.map((n) => ids.get(n)!);
  }
  const secret = newSecret();
  const key = await insertKey(db, {
    name: p.name,
    scope: p.scope,
    prefix: secret.slice(0, 10),
    hash: await sha256Hex(secret),
    evaluatorIds,
    rateLimitRpm: p.rateLimitRpm ?? null,
    tokenBudgetPerDay: p.tokenBudgetPerDay ?? null,
  });
  return { key: { ...key, evaluatorNames }, secret };
}

async function withNames(deps: Pick<AppDeps, "database">, rows: KeyRow[]): Promise<KeyWithEvaluators[]> {
  const names = await evaluatorNamesByIds(deps.database.db, [...new Set(rows.flatMap((r) => r.evaluatorIds ?? []))]);
  return rows.map((r) => ({
    ...r,
    evaluatorNames: r.evaluatorIds ? r.evaluatorIds.map((id) => names.get(id) ?? id) : null,
  }));
}

export async function listKeys(deps: Pick<AppDeps, "database">): Promise<KeyWithEvaluators[]> {
  return withNames(deps, await listKeyRows(deps.database.db));
}

/** Revokes an active key; 404 when unknown or already revoked. */
export async function revokeKey(deps: Pick<AppDeps, "database" | "clock">, id: string): Promise<KeyWithEvaluators> {
  const row = await revokeKeyRow(deps.database.db, id, deps.clock.now());
  if (!row) throw new ApiError("not_found", `no active key ${id}`);
  return (await withNames(deps, [row]))[0]!;
}
