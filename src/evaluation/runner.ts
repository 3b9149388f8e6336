import type { AppDeps } from "../deps";
import {
  doneUnits,
  finishEvaluation,
  getEvaluation,
  getStatus,
  markRunning,
  recordUnit,
  setProgress,
  TERMINAL_STATUSES,
  type EvaluationRow,
} from "../db/queries/evaluations";
import { selectionPage, type HeldoutRow } from "../db/queries/heldout";
import { findEvaluatorById } from "../db/queries/evaluators";
import { findVersion, type VersionRow } from "../db/queries/versions";
import { describeFailure } from "../judging/failures";
import { versionSpec } from "../judging/resolve";
import { judgePair, type JudgeVersionSpec } from "../judging";
import { isLlmError } from "../llm";
import { forEachConcurrent, paged } from "../lib/concurrent";
import { ApiError } from "../lib/errors";
import { selectionOf } from "./create";
import { finalizeBenchmark } from "./benchmark-finalize";
import { judgeDataset } from "./benchmark-runner";
import { finalizeEvaluation } from "./finalize";
import { isCorrect } from "./metrics";
import { errorForLog } from "../db/errors";

export type EvaluationDeps = Pick<AppDeps, "database" | "llm" | "config" | "logger" | "clock">;

export interface RunOptions {
  /** Aborting stops the run where it is; the evaluation stays `running` and resumes on the next call. */
  signal?: AbortSignal;
  /**
   * Asked between units: true stops the run there (units in flight finish and are stored); it
   * stays `running` and resumes on the next call. Workflows use it to bound a step's LLM calls.
   */
  shouldStop?: () => boolean;
  /** (item, version) judgments in flight. Default a quarter of LLM_CONCURRENCY, leaving room for live traffic. */
  concurrency?: number;
  /** How often the run checks for a cancel and writes progress. Default 500 ms. */
  pollMs?: number;
}

const PAGE = 200;

/**
 * Runs (or resumes) an evaluation to its end and returns the final row: completed, failed or
 * canceled; or still running when `signal` aborted. Resumable: every (item, version) result is a
 * row keyed by (evaluation, item, version), and already-judged units are skipped, so calling this
 * again after a crash continues where it stopped without duplicating rows. Never throws for a
 * failure inside the run: it ends the evaluation as `failed` with the error instead.
 */
export async function runEvaluation(deps: EvaluationDeps, id: string, opts: RunOptions = {}): Promise<EvaluationRow> {
  const db = deps.database.db;
  const existing = await getEvaluation(db, id);
  if (!existing) throw new ApiError("not_found", `no evaluation ${id}`);
  if (TERMINAL_STATUSES.includes(existing.status)) return existing;
  const log = deps.logger.child({ evaluation_id: id });
  try {
    const ev = await markRunning(db, id);
    if (!ev) return (await getEvaluation(db, id))!;
    // Issue 8: an evaluation on a named dataset has its own units and scoring.
    const stopped = ev.datasetId ? await judgeDataset(deps, ev, opts) : await judgeAll(deps, ev, opts);
    if (stopped) return (await getEvaluation(db, id))!;
    await (ev.datasetId ? finalizeBenchmark(deps, id) : finalizeEvaluation(deps, id));
  } catch (err) {
    log.error({ err: errorForLog(err) }, "evaluation failed");
    await finishEvaluation(db, id, { status: "failed", error: err instanceof Error ? err.message : String(err) }).catch(
      (e: unknown) => log.error({ err: errorForLog(e) }, "could not mark the evaluation failed"),
    );
  }
  return (await getEvaluation(db, id))!;
}

/** Judges every missing unit. Returns true when it stopped early (canceled or aborted). */
async function judgeAll(deps: EvaluationDeps, ev: EvaluationRow, opts: RunOptions): Promise<boolean> {
  const db = deps.database.db;
  const evaluator = await findEvaluatorById(db, ev.evaluatorId);
  const pair = [ev.candidateVersionId, ev.baselineVersionId!];
  const rows: VersionRow[] = [];
  for (const vid of pair) {
    const v = await findVersion(db, ev.evaluatorId, vid);
    if (!v) throw new Error(`version ${vid} disappeared`);
    rows.push(v);
  }
  const specs = new Map<string, JudgeVersionSpec>(rows.map((v) => [v.id, versionSpec({ evaluator: evaluator!, version: v })]));

  const done = new Set((await doneUnits(db, ev.id)).map((u) => `${u.itemId}:${u.versionId}`));
  let doneCount = done.size;
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) return true;
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });

  let lastPoll = Date.now();
  const pollMs = opts.pollMs ?? 500;
  let polling: Promise<void> | null = null;
  // Cancel arrives through the database (any instance may serve POST …/cancel), so it is polled.
  const poll = async () => {
    await setProgress(db, ev.id, doneCount);
    if ((await getStatus(db, ev.id)) === "canceled") stop.abort(new Error("evaluation canceled"));
  };
  const maybePoll = async () => {
    if (polling || Date.now() - lastPoll < pollMs) return;
    lastPoll = Date.now();
    polling = poll().finally(() => {
      polling = null;
    });
    await polling;
  };

  const concurrency = Math.max(1, opts.concurrency ?? Math.floor(deps.config.llm.concurrency / 4));
  const selection = selectionOf(ev);
  let taken = 0;
  // The units still to judge, a page of items at a time; the next page is read while this one is
  // being judged, and a slow unit never holds back the others (no per-page barrier).
  const units = paged(async (afterId) => {
    let page: HeldoutRow[] = await selectionPage(db, ev.evaluatorId, selection, afterId, PAGE);
    const more = page.length === PAGE;
    if (selection.limit !== undefined) page = page.slice(0, selection.limit - taken);
    taken += page.length;
    const items = page.flatMap((item) =>
      pair.filter((versionId) => !done.has(`${item.id}:${versionId}`)).map((versionId) => ({ item, versionId })),
    );
    const atLimit = selection.limit !== undefined && taken >= selection.limit;
    return { items, next: more && !atLimit && page.length > 0 ? page[page.length - 1]!.id : null };
  });
  try {
    const { stopped } = await forEachConcurrent(units, concurrency, () => stop.signal.aborted || opts.shouldStop?.() === true, async ({ item, versionId }) => {
      const recorded = await judgeUnit(deps, ev, item, versionId, specs.get(versionId)!, stop.signal);
      if (recorded) doneCount += 1;
      await maybePoll();
    });
    if (stop.signal.aborted || stopped) {
      await setProgress(db, ev.id, doneCount);
      return true;
    }
    await poll();
    return stop.signal.aborted;
  } finally {
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/**
 * One (item, version) judgment, stored. Returns whether a row was written. An LLM failure is
 * stored too (verdict null, correct null, the error in detail), and a later run tries it again;
 * a unit cut short by cancel/abort is not stored at all.
 */
async function judgeUnit(
  deps: EvaluationDeps,
  ev: EvaluationRow,
  item: HeldoutRow,
  versionId: string,
  spec: JudgeVersionSpec,
  signal: AbortSignal,
): Promise<boolean> {
  const db = deps.database.db;
  const key = { evaluationId: ev.id, heldoutItemId: item.id, versionId };
  let outcome;
  try {
    outcome = await judgePair(
      deps.llm,
      spec,
      { instruction: item.instruction, response_a: item.responseA, response_b: item.responseB },
      { samples: ev.samples, swap: ev.swap, signal },
    );
  } catch (err) {
    if (signal.aborted) return false;
    await recordUnit(db, {
      ...key,
      verdict: null,
      correct: null,
      consistentCorrect: null,
      invalidVotes: 0,
      totalVotes: 0,
      detail: { error: describeFailure(err), error_kind: isLlmError(err) ? err.kind : "internal" },
    });
    return true;
  }
  const correct = isCorrect(item.label, outcome.verdict);
  const v = outcome.votes;
  await recordUnit(db, {
    ...key,
    verdict: outcome.verdict,
    correct,
    consistentCorrect: ev.swap ? correct && outcome.position_consistent : null,
    invalidVotes: v.invalid,
    totalVotes: v.A + v.B + v.tie + v.invalid,
    detail: {
      position_consistent: outcome.position_consistent,
      confidence: outcome.confidence,
      confidence_source: outcome.confidence_source,
      ...(outcome.verdict_probabilities ? { verdict_probabilities: outcome.verdict_probabilities } : {}),
      votes: v,
      usage: outcome.usage,
      outputs: outcome.samples.map((s) => ({ order: s.order, vote: s.vote, text: s.text })),
    },
  });
  return true;
}
