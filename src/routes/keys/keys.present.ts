import type { KeyWithEvaluators } from "../../keys";

// Pure: rows in, response bodies out (no database access). Never the hash.

export function presentKey(k: KeyWithEvaluators) {
  return {
    id: k.id,
    name: k.name,
    scope: k.scope,
    prefix: k.prefix,
    evaluators: k.evaluatorNames,
    rate_limit_rpm: k.rateLimitRpm,
    token_budget_per_day: k.tokenBudgetPerDay,
    created_at: k.createdAt.toISOString(),
    revoked_at: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}
