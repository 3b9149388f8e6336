import { countDoneUnits, pendingUnitsPage, recordBenchUnit, type PendingUnit } from "../db/queries/benchmark-units";
import { getStatus, setProgress, type EvaluationRow } from "../db/queries/evaluations";
import { findEvaluatorById } from "../db/queries/evaluators";
import { findVersion } from "../db/queries/versions";
import type { DatasetFormat } from "../db/schema";
import { chosenFirst } from "../datasets/formats";
import { describeFailure } from "../judging/failures";
import { versionSpec } from "../judging/resolve";
import { judgePair, orderMajority, type JudgeInput, type JudgeVersionSpec, type Order, type Verdict } from "../judging";
import type { Dialogue } from "../judging/dialogue";
import { isLlmError } from "../llm";
import { forEachConcurrent, paged } from "../lib/concurrent";
import type { AppDeps } from "../deps";

// The same dependencies and options as the held-out runner (src/evaluation/runner.ts), which calls this.
type EvaluationDeps = Pick<AppDeps, "database" | "llm" | "config" | "logger" | "clock">;
interface RunOptions {
  signal?: AbortSignal;
  shouldStop?: () => boolean;
  concurrency?: number;
  pollMs?: number;
}

const PAGE = 200;

const flip = (v: Verdict | null): Verdict | null => (v === "A" ? "B" : v === "B" ? "A" : v);

/**
 * Judges every unit of a benchmark evaluation that is not done yet, with bounded concurrency.
 * Returns true when it stopped early (canceled or aborted); the evaluation then resumes from the
 * units already stored. Same polling, cancel and progress behaviour as the held-out runner.
 */
export async function judgeDataset(deps: EvaluationDeps, ev: EvaluationRow, opts: RunOptions): Promise<boolean> {
  const db = deps.database.db;
  const evaluator = (await findEvaluatorById(db, ev.evaluatorId))!;
  const versionIds = [ev.candidateVersionId, ...(ev.baselineVersionId ? [ev.baselineVersionId] : [])];
  const specs = new Map<string, JudgeVersionSpec>();
  for (const id of versionIds) {
    const v = await findVersion(db, ev.evaluatorId, id);
    if (!v) throw new Error(`version ${id} disappeared`);
    specs.set(id, versionSpec({ evaluator, version: v }));
  }
  const format = (ev.filter as { format?: DatasetFormat } | null)?.format ?? "pairs";
  const datasetId = ev.datasetId!;

  let doneCount = await countDoneUnits(db, ev.id);
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) return true;
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let lastPoll = Date.now();
  const pollMs = opts.pollMs ?? 500;
  let polling: Promise<void> | null = null;
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
  const units = paged(async (after) => {
    const [pairHash, versionId] = after ? after.split("|") : [];
    const page = await pendingUnitsPage(db, {
      evaluationId: ev.id,
      datasetId,
      after: pairHash && versionId ? { pairHash, versionId } : null,
      limit: PAGE,
    });
    const last = page.at(-1);
    return { items: page, next: page.length === PAGE && last ? `${last.pairHash}|${last.versionId}` : null };
  });
  try {
    const { stopped } = await forEachConcurrent(units, concurrency, () => stop.signal.aborted || opts.shouldStop?.() === true, async (unit) => {
      const recorded = await judgeBenchUnit(deps, ev, unit, specs.get(unit.versionId)!, format, stop.signal);
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

/** The pair with its answers swapped (a dialogue's two conversations too). */
function swapped(input: JudgeInput): JudgeInput {
  const d = input.dialogue;
  return {
    ...input,
    response_a: input.response_b,
    response_b: input.response_a,
    dialogue: d && "conversation_a" in d ? { conversation_a: d.conversation_b, conversation_b: d.conversation_a } : (d ?? null),
  };
}

async function judgeBenchUnit(
  deps: EvaluationDeps,
  ev: EvaluationRow,
  unit: PendingUnit,
  spec: JudgeVersionSpec,
  format: DatasetFormat,
  signal: AbortSignal,
): Promise<boolean> {
  const db = deps.database.db;
  const key = { evaluationId: ev.id, pairHash: unit.pairHash, versionId: unit.versionId };
  const stored: JudgeInput = {
    instruction: unit.instruction,
    response_a: unit.responseA,
    response_b: unit.responseB,
    dialogue: (unit.dialogue as Dialogue | null) ?? null,
  };
  // Chosen/rejected data stores the chosen answer first; judged in one order only, it is shown in
  // a random order (fixed per pair), as RewardBench's generative script does.
  const flipped = !ev.swap && chosenFirst(format) && parseInt(unit.pairHash.slice(0, 2), 16) % 2 === 1;
  let outcome;
  try {
    outcome = await judgePair(deps.llm, spec, flipped ? swapped(stored) : stored, { samples: ev.samples, swap: ev.swap, signal });
  } catch (err) {
    if (signal.aborted) return false;
    await recordBenchUnit(db, key, {
      status: "failed",
      verdict: null,
      orders: null,
      invalidVotes: 0,
      totalVotes: 0,
      detail: { error: describeFailure(err), error_kind: isLlmError(err) ? err.kind : "internal" },
    });
    return false;
  }
  const majority = (order: Order) => orderMajority(outcome.samples.filter((s) => s.order === order).map((s) => s.vote));
  const back = (v: Verdict | null) => (flipped ? flip(v) : v);
  // Orders in the stored frame: "ab" = response_a shown first.
  const orders = flipped ? { ba: back(majority("ab")) } : ev.swap ? { ab: majority("ab"), ba: majority("ba") } : { ab: majority("ab") };
  const v = outcome.votes;
  await recordBenchUnit(db, key, {
    status: "done",
    verdict: back(outcome.verdict),
    orders,
    invalidVotes: v.invalid,
    totalVotes: v.A + v.B + v.tie + v.invalid,
    detail: {
      position_consistent: outcome.position_consistent,
      confidence: outcome.confidence,
      confidence_source: outcome.confidence_source,
      ...(outcome.verdict_probabilities ? { verdict_probabilities: outcome.verdict_probabilities } : {}),
      usage: outcome.usage,
      shown_first: flipped ? "response_b" : "response_a",
      outputs: outcome.samples.map((s) => ({ order: s.order, vote: s.vote, text: s.text })),
    },
  });
  return true;
}
