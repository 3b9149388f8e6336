import type { AppDeps } from "../deps";
import {
  findCachedJudgment,
  insertJudgment,
  insertJudgmentWithPoolEntry,
  type JudgmentRow,
  type JudgmentWithNames,
  type NewJudgment,
} from "../db/queries/judgments";
import type { JudgeStatsDelta } from "../db/queries/judge-stats";
import { addToPool, instructionHash } from "../db/queries/traffic";
import type { StoredSample, Usage } from "../db/schema";
import { judgePair, type JudgeOutcome } from "./judge";
import { ApiError } from "../lib/errors";
import type { Logger } from "../lib/logger";
import type { EvaluatorScope } from "../lib/tenant";
import { ZERO_USAGE } from "../llm";
import { requestHash } from "./cache-key";
import { judgedPair, type JudgeRequest } from "./request";

export type { JudgeRequest } from "./request";
import { describeFailure, failureToApiError, providerDetail } from "./failures";
import { effectiveParams, resolveTarget, versionSpec, type JudgeTarget } from "./resolve";
import { errorForLog } from "../db/errors";

export interface JudgeCallContext {
  deps: AppDeps;
  logger: Logger;
  apiKeyId: string | null;
  /** Evaluators the caller may use (null = all); others are a 404. */
  scope?: EvaluatorScope;
  signal?: AbortSignal;
  /** Overall deadline of one judgment, retries included (JUDGE_DEADLINE_MS); none when absent. */
  deadlineMs?: number;
  /** The caller's token budget (absent: unlimited): checked after a cache miss, charged after the call. */
  budget?: { check(): Promise<void>; spend(tokens: number): Promise<void> };
  /** How the evaluator and version are looked up; a batch shares one lookup per selector. */
  resolve?: (evaluator: string | undefined, version: string | undefined) => Promise<JudgeTarget>;
}

export interface JudgeResult {
  judgment: JudgmentWithNames;
  /** True when served from a stored judgment without calling the LLM. */
  cached: boolean;
  /** What THIS call cost: zero for a cache hit (the stored row keeps the original cost). */
  usage: Usage;
  /** Wall time of THIS call. */
  latencyMs: number;
}

/**
 * Judges one pair end to end: resolve the version, answer from the cache when allowed, otherwise
 * call the judge, store the judgment (failed ones too, with the raw outputs) and feed the
 * instruction to the traffic pool. Throws ApiError; failures carry `judgment_id`.
 */
export async function judgeOne(ctx: JudgeCallContext, req: JudgeRequest): Promise<JudgeResult> {
  const started = performance.now();
  const db = ctx.deps.database.db;
  const target = await (ctx.resolve ?? ((e, v) => resolveTarget(db, e, v, ctx.scope)))(req.evaluator, req.version);
  const params = effectiveParams(target.version, req);
  const pair = judgedPair(req);
  // An empty reference renders as no reference at all, so it must hash as none too.
  const reference = req.reference && req.reference.trim() !== "" ? req.reference : null;
  const hash = await requestHash({
    evaluatorId: target.evaluator.id,
    versionId: target.version.id,
    instruction: pair.instruction,
    response_a: pair.response_a,
    response_b: pair.response_b,
    dialogue: pair.dialogue,
    reference,
    ...params,
  });

  if (req.cache !== false) {
    const hit = await findCachedJudgment(db, { evaluatorId: target.evaluator.id, versionId: target.version.id, requestHash: hash });
    if (hit) {
      recordStats(ctx, target, { cacheHit: true });
      ctx.deps.metrics?.judgment({ evaluator: target.evaluator.name, status: hit.status, verdict: hit.verdict ?? "none", cached: true });
      return {
        judgment: withNames(hit, target),
        cached: true,
        usage: { ...ZERO_USAGE },
        latencyMs: Math.round(performance.now() - started),
      };
    }
  }

  const base: Omit<NewJudgment, "status" | "usage" | "latencyMs"> = {
    evaluatorId: target.evaluator.id,
    versionId: target.version.id,
    requestHash: hash,
    instruction: pair.instruction,
    responseA: pair.response_a,
    responseB: pair.response_b,
    dialogue: pair.dialogue,
    reference,
    samples: params.samples,
    swap: params.swap,
    temperature: params.temperature,
    metadata: req.metadata ?? null,
    apiKeyId: ctx.apiKeyId,
    createdAt: ctx.deps.clock.now(),
  };

  // A cached answer costs nothing, so only a call that will reach the LLM is held to the budget.
  await ctx.budget?.check();
  // The deadline covers every LLM attempt and back-off of this judgment, whatever the per-request timeout.
  const deadline = ctx.deadlineMs ? AbortSignal.timeout(ctx.deadlineMs) : undefined;
  const signal = deadline && ctx.signal ? AbortSignal.any([ctx.signal, deadline]) : (deadline ?? ctx.signal);
  let outcome: JudgeOutcome;
  try {
    outcome = await judgePair(
      ctx.deps.llm,
      versionSpec(target),
      { ...pair, reference },
      {
        samples: params.samples,
        swap: params.swap,
        ...(params.temperature !== null ? { temperature: params.temperature } : {}),
        ...(signal ? { signal } : {}),
      },
    );
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    const timedOut = deadline?.aborted === true && ctx.signal?.aborted !== true;
    const failure = timedOut
      ? `timeout: no verdict within the judge deadline of ${ctx.deadlineMs} ms (JUDGE_DEADLINE_MS)`
      : describeFailure(err, ctx.signal);
    ctx.logger.warn({ err: failure, provider: providerDetail(err) }, "judge call failed");
    ctx.deps.metrics?.judgment({ evaluator: target.evaluator.name, status: timedOut ? "timeout" : "failed", verdict: "none", cached: false });
    let id: string | null = null;
    try {
      const row = await insertJudgment(db, {
        ...base,
        status: timedOut ? "timeout" : "failed",
        usage: { ...ZERO_USAGE },
        latencyMs,
        error: failure,
      });
      id = row.id;
      await feedPool(ctx, target, pair.instruction, id);
      recordStats(ctx, target, { cacheHit: false, stored: { failed: true, promptTokens: 0, completionTokens: 0, llmRequests: 0, votes: 0, invalidVotes: 0, latencyMs } });
    } catch (storeErr) {
      ctx.logger.error({ err: errorForLog(storeErr) }, "could not store the failed judgment");
    }
    if (timedOut) {
      throw new ApiError("judge_timeout", `no verdict within the judge deadline of ${ctx.deadlineMs} ms; the judgment is stored as timeout`, {
        ...(id ? { judgment_id: id } : {}),
      });
    }
    throw failureToApiError(err, id);
  }

  if (ctx.budget) {
    try {
      await ctx.budget.spend(outcome.usage.prompt_tokens + outcome.usage.completion_tokens);
    } catch (err) {
      ctx.logger.warn({ err: errorForLog(err) }, "could not record token usage");
    }
  }
  const latencyMs = Math.round(performance.now() - started);
  const rawOutputs: StoredSample[] = outcome.samples.map((s) => ({
    order: s.order,
    index: s.index,
    text: s.text,
    vote: s.vote,
    raw_vote: s.raw_vote,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(s.member !== undefined ? { member: s.member } : {}),
    ...(s.distribution !== undefined ? { probabilities: s.distribution } : {}),
  }));
  const failed = outcome.verdict === null;
  const v = outcome.votes;
  // The judgment and its training-pool entry in one statement (one round trip, both or neither).
  const row = await insertJudgmentWithPoolEntry(db, {
    ...base,
    id: crypto.randomUUID(),
    status: failed ? "failed" : "ok",
    verdict: outcome.verdict,
    confidence: outcome.confidence,
    confidenceSource: outcome.confidence_source,
    verdictProbabilities: outcome.verdict_probabilities,
    positionConsistent: outcome.position_consistent,
    reasoning: outcome.reasoning,
    votes: outcome.votes,
    memberVotes: outcome.members ?? null,
    rawOutputs,
    usage: outcome.usage,
    latencyMs,
    error: failed ? `judge_output_invalid: none of ${rawOutputs.length} outputs held a valid verdict` : null,
  }, { hash: await instructionHash(pair.instruction) });
  recordStats(ctx, target, {
    cacheHit: false,
    stored: {
      failed,
      promptTokens: outcome.usage.prompt_tokens,
      completionTokens: outcome.usage.completion_tokens,
      llmRequests: outcome.usage.llm_requests,
      votes: v.A + v.B + v.tie + v.invalid,
      invalidVotes: v.invalid,
      latencyMs,
    },
  });
  ctx.deps.metrics?.judgment({
    evaluator: target.evaluator.name,
    status: row.status,
    verdict: outcome.verdict ?? "none",
    cached: false,
  });

  if (failed) {
    throw new ApiError(
      "judge_output_invalid",
      `the judge produced no valid verdict in ${rawOutputs.length} output(s); the raw outputs are stored with the judgment`,
      { judgment_id: row.id, votes: outcome.votes },
    );
  }
  return { judgment: withNames(row, target), cached: false, usage: outcome.usage, latencyMs };
}

function withNames(row: JudgmentRow, target: JudgeTarget): JudgmentWithNames {
  return { ...row, versionName: target.version.name, evaluatorName: target.evaluator.name };
}

/** The pool is what training mines; losing one entry must not fail a served verdict. */
async function feedPool(ctx: JudgeCallContext, target: JudgeTarget, instruction: string, judgmentId: string) {
  try {
    await addToPool(ctx.deps.database.db, target.evaluator.id, "judge", [{ instruction, metadata: { judgment_id: judgmentId } }]);
  } catch (err) {
    ctx.logger.warn({ err: errorForLog(err), judgment_id: judgmentId }, "could not add the instruction to the traffic pool");
  }
}

/**
 * The console's daily numbers (judge_daily_stats): counted in memory and written in the
 * background by the recorder, so no judge request waits on the shared (evaluator, day) row.
 */
function recordStats(ctx: JudgeCallContext, target: JudgeTarget, d: Omit<JudgeStatsDelta, "evaluatorId" | "day">) {
  const day = ctx.deps.clock.now().toISOString().slice(0, 10);
  ctx.deps.judgeStats.record({ ...d, evaluatorId: target.evaluator.id, day });
}
