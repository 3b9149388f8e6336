import type { AppDeps } from "../deps";
import { addToCounter, deleteExpiredCounters, readCounter } from "../db/queries/rate-counters";
import { ApiError } from "../lib/errors";
import { errorForLog } from "../db/errors";

// Per-caller request rate (fixed one-minute windows) and LLM token budget (UTC days), counted in
// the database so every instance shares them (touches the database). 0 means unlimited.

export type LimitState = { limit: number; remaining: number; resetSeconds: number };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function maybeCleanUp(deps: Pick<AppDeps, "database" | "logger">, now: Date): void {
  // Ended windows are useless; about one request in 200 sweeps them, off the request's path.
  if (Math.random() >= 0.005) return;
  void deleteExpiredCounters(deps.database.db, now).catch((err) => deps.logger.warn({ err: errorForLog(err) }, "rate counter cleanup failed"));
}

/** Counts one request against `rpm` for `subject`; throws a 429 ApiError once over. */
export async function takeRequest(
  deps: Pick<AppDeps, "database" | "clock" | "logger">,
  p: { subject: string; rpm: number },
): Promise<LimitState> {
  const now = deps.clock.now();
  const start = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const resetSeconds = Math.max(1, Math.ceil((start + MINUTE_MS - now.getTime()) / 1000));
  const count = await addToCounter(deps.database.db, {
    subject: p.subject,
    window: `rpm:${start}`,
    amount: 1,
    expiresAt: new Date(start + 2 * MINUTE_MS),
  });
  maybeCleanUp(deps, now);
  const state = { limit: p.rpm, remaining: Math.max(0, p.rpm - count), resetSeconds };
  if (count > p.rpm) {
    throw new ApiError("rate_limited", `rate limit of ${p.rpm} requests per minute exceeded; retry in ${resetSeconds} s`, {
      retry_after_ms: resetSeconds * 1000,
      limit: "requests_per_minute",
      ratelimit: state,
    });
  }
  return state;
}

function dayWindow(now: Date): { window: string; resetSeconds: number; expiresAt: Date } {
  const start = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return {
    window: `tokens:${new Date(start).toISOString().slice(0, 10)}`,
    resetSeconds: Math.max(1, Math.ceil((start + DAY_MS - now.getTime()) / 1000)),
    expiresAt: new Date(start + 2 * DAY_MS),
  };
}

/** Throws a 429 when `subject` has used its daily token budget. Called before any LLM call. */
export async function checkTokenBudget(
  deps: Pick<AppDeps, "database" | "clock">,
  p: { subject: string; budget: number },
): Promise<LimitState> {
  const day = dayWindow(deps.clock.now());
  const used = await readCounter(deps.database.db, { subject: p.subject, window: day.window });
  const state = { limit: p.budget, remaining: Math.max(0, p.budget - used), resetSeconds: day.resetSeconds };
  if (used >= p.budget) {
    throw new ApiError("rate_limited", `daily token budget of ${p.budget} exhausted; it resets at 00:00 UTC`, {
      retry_after_ms: day.resetSeconds * 1000,
      limit: "tokens_per_day",
      ratelimit: state,
    });
  }
  return state;
}

/** Records tokens an LLM call used (cached judgments use none and are not recorded). */
export async function spendTokens(deps: Pick<AppDeps, "database" | "clock">, p: { subject: string; tokens: number }): Promise<void> {
  if (p.tokens <= 0) return;
  const day = dayWindow(deps.clock.now());
  await addToCounter(deps.database.db, { subject: p.subject, window: day.window, amount: p.tokens, expiresAt: day.expiresAt });
}
