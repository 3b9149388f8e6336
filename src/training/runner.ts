import { findEvaluatorById } from "../db/queries/evaluators";
import { countHeldout } from "../db/queries/heldout";
import { acquireLease, countBuiltTrainPairs, getRun, releaseLease, TERMINAL_STATUSES, updateRun } from "../db/queries/training";
import { runCounts } from "../db/queries/training-items";
import { findVersion, getActiveVersion, type VersionRow } from "../db/queries/versions";
import { annotate } from "./annotate";
import { RunContext, type Step } from "./context";
import { curate } from "./curate";
import type { TrainingDeps } from "./deps";
import { storedParams } from "./params";
import { selectExamples } from "./select-examples";
import { iterState, type IterationRecord, type RunState } from "./state";
import { synthesize } from "./synthesize";
import { errorForLog } from "../db/errors";

export type RunOutcome =
  /** Another process holds the run's lease (it may have died: look again when the lease lapses). */
  | { kind: "busy" }
  /** The work slice ended or a fine-tuning job is still running: continue in a new job. */
  | { kind: "continue"; delaySeconds: number }
  | { kind: "waiting_external" }
  | { kind: "finished"; status: "completed" | "failed" | "canceled" };

/** How far a step (or the run's steps together) got in this slice. */
type StepResult =
  | { kind: "done" }
  /** Stopped between items (cancel, lost lease, end of the work slice). */
  | { kind: "stopped" }
  /** Waiting for a model registered from outside (the external backend). */
  | { kind: "waiting" }
  /** A fine-tuning job is still running: look again in `delaySeconds`. */
  | { kind: "pending"; delaySeconds: number };

const DONE: StepResult = { kind: "done" };
const STOPPED: StepResult = { kind: "stopped" };

/**
 * Executes (or resumes) a training run for as long as this process holds its lease. Every step
 * records what it finished, so whatever point a previous attempt reached, this one continues
 * from there without redoing finished items.
 */
export async function runTraining(deps: TrainingDeps, runId: string): Promise<RunOutcome> {
  const leased = await acquireLease(deps.db, runId, deps.workerId, deps.timing.leaseSeconds);
  if (!leased) {
    const run = await getRun(deps.db, runId);
    if (!run) return { kind: "finished", status: "failed" };
    if (TERMINAL_STATUSES.includes(run.status)) return { kind: "finished", status: run.status as "completed" };
    if (run.status === "waiting_external") return { kind: "waiting_external" };
    return { kind: "busy" };
  }
  const evaluator = await findEvaluatorById(deps.db, leased.evaluatorId);
  if (!evaluator) throw new Error(`training run ${runId} names an unknown evaluator`);
  const ctx = new RunContext(
    deps,
    leased,
    storedParams(leased.params),
    evaluator,
    structuredClone(leased.state),
    structuredClone(leased.iterations),
  );
  ctx.startHeartbeat();
  try {
    if (leased.status === "queued") await updateRun(deps.db, runId, { status: "running" }, deps.clock.now(), deps.workerId);
    const result = ctx.stopCause() === "cancel" ? STOPPED : await executeSteps(ctx);
    switch (result.kind) {
      case "done":
        return await finishRun(ctx, "completed");
      case "waiting":
        await updateRun(deps.db, runId, { status: "waiting_external" }, deps.clock.now(), deps.workerId);
        return { kind: "waiting_external" };
      case "pending":
        return { kind: "continue", delaySeconds: result.delaySeconds };
      case "stopped":
        return await stopped(ctx);
    }
  } catch (err) {
    if (ctx.stopCause() === "cancel" || ctx.stopCause() === "lease_lost") return await stopped(ctx);
    ctx.log.error({ err: errorForLog(err) }, "training run failed");
    // Nothing will ever use a failed run's fine-tuning job or evaluation: stop paying for them.
    await cancelOpenEvaluation(ctx);
    await cancelTraining(ctx);
    return await finishRun(ctx, "failed", err instanceof Error ? err.message : String(err));
  } finally {
    await ctx.close();
    await releaseLease(deps.db, runId, deps.workerId).catch(() => undefined);
  }
}

async function stopped(ctx: RunContext): Promise<RunOutcome> {
  const cause = ctx.stopCause();
  if (cause === "cancel") {
    await cancelOpenEvaluation(ctx);
    await cancelTraining(ctx);
    return finishRun(ctx, "canceled");
  }
  if (cause === "lease_lost") return { kind: "busy" };
  return { kind: "continue", delaySeconds: 0 };
}

/** Ends the evaluation an unfinished iteration started (a no-op when it has already ended). */
async function cancelOpenEvaluation(ctx: RunContext): Promise<void> {
  for (const st of Object.values(ctx.state.iters ?? {})) {
    if (!st.evaluation_id || st.done) continue;
    await ctx.deps.evaluation.cancel(st.evaluation_id).catch((err: unknown) => {
      ctx.log.warn({ evaluation_id: st.evaluation_id, err: errorForLog(err) }, "could not cancel the iteration's evaluation");
    });
  }
}

/** Stops an iteration's training outside (a fine-tuning job); a failure is logged, never blocks the run's end. */
async function cancelTraining(ctx: RunContext): Promise<void> {
  const trainer = ctx.deps.trainers[ctx.params.backend];
  if (!trainer.cancel) return;
  for (const [key, st] of Object.entries(ctx.state.iters ?? {})) {
    if (st.done || st.candidate_version_id || !st.trainer) continue;
    const iteration = Number(key);
    try {
      const patch = await trainer.cancel({ deps: ctx.deps, runId: ctx.runId, iteration, state: st.trainer });
      st.trainer = { ...st.trainer, ...patch };
      ctx.log.info({ iteration, ...patch }, "canceled the iteration's training at the provider");
    } catch (err) {
      st.trainer = { ...st.trainer, cancel_error: err instanceof Error ? err.message : String(err) };
      ctx.log.warn({ iteration, err: errorForLog(err) }, "could not cancel the iteration's training at the provider");
    }
  }
}

const ITERATION_ENDED: ReadonlySet<IterationRecord["status"]> = new Set(["promoted", "passed", "rejected", "failed", "canceled"]);

async function finishRun(ctx: RunContext, status: "completed" | "failed" | "canceled", error?: string): Promise<RunOutcome> {
  if (status !== "completed") {
    // An iteration the run was in the middle of ends with the run, not stuck at its last step.
    for (const record of ctx.iterations) {
      if (ITERATION_ENDED.has(record.status)) continue;
      record.status = status;
      if (error !== undefined) record.error = error;
      record.finished_at = ctx.deps.clock.now().toISOString();
    }
  }
  await ctx.save();
  await updateRun(
    ctx.deps.db,
    ctx.runId,
    { status, error: error ?? null, finishedAt: ctx.deps.clock.now(), currentStep: null },
    ctx.deps.clock.now(),
    ctx.deps.workerId,
  );
  ctx.log.info({ status }, "training run finished");
  return { kind: "finished", status };
}

async function enter(ctx: RunContext, step: Step, iteration?: number): Promise<void> {
  await ctx.save({ currentStep: step, ...(iteration !== undefined ? { iteration } : {}) });
}

async function executeSteps(ctx: RunContext): Promise<StepResult> {
  const { deps, params, state } = ctx;
  const db = deps.db;
  if (!state.base_version_id) {
    const active = await getActiveVersion(db, ctx.evaluator.id);
    if (!active) throw new Error(`evaluator '${ctx.evaluator.name}' has no active version`);
    state.base_version_id = active.id;
    await ctx.save();
  }
  const base = await mustFindVersion(ctx, state.base_version_id);

  if (!state.curated) {
    await enter(ctx, "curate", 1);
    if ((await curate(ctx)) === "stopped") return STOPPED;
  }
  if (!state.synthesized) {
    await enter(ctx, "synthesize", 1);
    if ((await synthesize(ctx)) === "stopped") return STOPPED;
  }
  if (!iterState(state, 1).annotated) {
    if ((await countBuiltTrainPairs(db, ctx.runId)) === 0) throw new Error("no training pair could be built (see dropped_* counters)");
    // Fail now rather than after annotating and training: a candidate needs held-out items.
    if ((await countHeldout(db, ctx.evaluator.id)) === 0) {
      throw new Error("the held-out set is empty: use heldout_fraction > 0 or import held-out items (POST /v1/heldout)");
    }
  }

  for (let it = 1; it <= params.iterations; it++) {
    const st = iterState(state, it);
    if (st.done) continue;
    const record = iterationRecord(ctx, it);

    if (!st.annotator_version_id) {
      // Iteration 1 annotates with the active version, iteration i+1 with iteration i's candidate.
      const prev = it > 1 ? iterState(state, it - 1).candidate_version_id : undefined;
      const annotator = prev ? await mustFindVersion(ctx, prev) : await getActiveVersion(db, ctx.evaluator.id);
      if (!annotator) throw new Error(`evaluator '${ctx.evaluator.name}' has no active version`);
      st.annotator_version_id = annotator.id;
    }
    const annotator = await mustFindVersion(ctx, st.annotator_version_id);
    record.annotator = { id: annotator.id, name: annotator.name, model: annotator.model };

    if (!st.annotated) {
      record.status = "annotating";
      await enter(ctx, "annotate", it);
      if ((await annotate(ctx, it, annotator)) === "stopped") return STOPPED;
    }
    // Once examples are selected the counters' item rows no longer change: read them then (or when
    // a crash came between selection and saving them), not on every resumed slice of training.
    if (!st.selected || !hasCounters(record)) {
      if (!st.selected) await selectExamples(ctx, it, base);
      record.counters = {
        ...(await iterationCounters(ctx, it)),
        annotate_failed: st.annotate_failed ?? 0,
        dropped_inconsistent: st.dropped_inconsistent ?? 0,
      };
    }

    if (!st.candidate_version_id) {
      record.status = "training";
      await enter(ctx, "train", it);
      const result = await trainStep(ctx, it, base);
      if (result.kind !== "done") {
        if (result.kind === "waiting") record.status = "waiting_external";
        await ctx.save();
        return result;
      }
    }
    const candidate = await mustFindVersion(ctx, st.candidate_version_id!);
    record.candidate = { id: candidate.id, name: candidate.name, model: candidate.model };

    record.status = "evaluating";
    await enter(ctx, "evaluate", it);
    const gate = await evaluateStep(ctx, it, candidate.id);
    if (gate.kind === "stopped") return STOPPED;
    st.done = true;
    await ctx.save();
  }
  return DONE;
}

async function trainStep(ctx: RunContext, iteration: number, base: VersionRow): Promise<StepResult> {
  const st = iterState(ctx.state, iteration);
  const used = Object.values(ctx.state.iters ?? {})
    .map((s) => s.candidate_version_id)
    .filter((id): id is string => Boolean(id));
  const trainer = ctx.deps.trainers[ctx.params.backend];
  ctx.progress.train = { done: 0, total: 1 };
  // Entering the trainer (an upload, a poll) is progress: a slice may end while a job runs.
  ctx.noteProgress();
  const result = await trainer.train({
    deps: ctx.deps,
    runId: ctx.runId,
    params: ctx.params,
    evaluator: ctx.evaluator,
    baseVersion: base,
    iteration,
    state: (st.trainer ??= {}),
    saveState: async (patch) => {
      st.trainer = { ...st.trainer, ...patch };
      await ctx.save();
    },
    signal: ctx.signal,
    shouldStop: () => ctx.shouldStop(),
    usedVersionIds: used,
    dataReadyAt: st.selected_at ? new Date(st.selected_at) : null,
  });
  if (result.kind === "waiting") return { kind: "waiting" };
  if (result.kind === "pending") return ctx.shouldStop() && ctx.stopCause() !== "slice" ? STOPPED : { kind: "pending", delaySeconds: result.retryAfterSeconds };
  st.candidate_version_id = result.versionId;
  st.trainer = { ...st.trainer, ...result.details };
  ctx.progress.train = { done: 1, total: 1 };
  const record = iterationRecord(ctx, iteration);
  record.training = { backend: ctx.params.backend, ...st.trainer };
  await ctx.save();
  return DONE;
}

async function evaluateStep(ctx: RunContext, iteration: number, candidateId: string): Promise<StepResult> {
  const st = iterState(ctx.state, iteration);
  const record = iterationRecord(ctx, iteration);
  if (!st.evaluation_id) {
    st.evaluation_id = await ctx.deps.evaluation.start({
      evaluatorId: ctx.evaluator.id,
      candidateVersionId: candidateId,
      trainingRunId: ctx.runId,
      iteration,
      promote: ctx.params.auto_promote,
      concurrency: ctx.params.concurrency,
    });
    await ctx.save();
  }
  const outcome = await ctx.deps.evaluation.finish(st.evaluation_id, {
    signal: ctx.signal,
    shouldStop: () => ctx.shouldStop(),
    concurrency: ctx.params.concurrency,
  });
  if (!outcome) return STOPPED;
  record.evaluation = { id: outcome.evaluationId, metrics: outcome.metrics };
  record.decision = outcome.decision;
  record.promoted = outcome.promoted;
  record.status = outcome.promoted ? "promoted" : outcome.passed ? "passed" : "rejected";
  record.finished_at = ctx.deps.clock.now().toISOString();
  return DONE;
}

const ITERATION_COUNTERS = ["judgments_sampled", "pairs_annotated", "judgments_correct", "dropped_no_correct", "kept", "kept_a", "kept_b", "dpo_pairs"];

async function iterationCounters(ctx: RunContext, iteration: number): Promise<Record<string, number>> {
  const c = await runCounts(ctx.deps.db, ctx.runId, iteration);
  return Object.fromEntries(ITERATION_COUNTERS.map((k) => [k, c[k] ?? 0]));
}

function hasCounters(record: IterationRecord): boolean {
  return ITERATION_COUNTERS.every((k) => k in record.counters) && "annotate_failed" in record.counters && "dropped_inconsistent" in record.counters;
}

function iterationRecord(ctx: RunContext, iteration: number): IterationRecord {
  let r = ctx.iterations.find((x) => x.iteration === iteration);
  if (!r) {
    r = {
      iteration,
      status: "annotating",
      annotator: null,
      counters: {},
      candidate: null,
      training: null,
      evaluation: null,
      decision: null,
      promoted: false,
      finished_at: null,
    };
    ctx.iterations.push(r);
    ctx.iterations.sort((a, b) => a.iteration - b.iteration);
  }
  return r;
}

async function mustFindVersion(ctx: RunContext, id: string): Promise<VersionRow> {
  const v = await findVersion(ctx.deps.db, ctx.evaluator.id, id);
  if (!v) throw new Error(`version ${id} of evaluator '${ctx.evaluator.name}' no longer exists`);
  return v;
}
