import type { AppDeps } from "../deps";
import { benchmarkReport, type BenchUnit } from "../benchmarks";
import { scoredBenchRows } from "../db/queries/benchmark-units";
import { findDatasetById } from "../db/queries/datasets";
import { completeEvaluation, finishEvaluation, getEvaluation, lockEvaluation } from "../db/queries/evaluations";
import { findVersion, setVersionEvaluation } from "../db/queries/versions";
import type { DatasetFormat } from "../db/schema";
import { humanLabelled } from "../datasets/formats";
import { applyGate, decisionRecord, MAX_FAILED_ITEM_SHARE, type AppliedDecision } from "./finalize";
import type { GateParams } from "./gate";
import { evaluationResult, versionMetrics, type ScoredUnit } from "./metrics";

type Deps = Pick<AppDeps, "database" | "logger" | "clock">;
type Row = Awaited<ReturnType<typeof scoredBenchRows>>[number];

/**
 * Scores a benchmark evaluation and ends it: the usual per-version metrics (and, with a
 * baseline, the paired comparison and the gate), plus the dataset's official scores, agreement
 * with human labels and the bias probes, for each version. Idempotent like finalizeEvaluation.
 */
export async function finalizeBenchmark(deps: Deps, id: string): Promise<void> {
  const db = deps.database.db;
  const ev = await getEvaluation(db, id);
  if (!ev || ev.status !== "running" || !ev.datasetId) return;
  const dataset = await findDatasetById(db, ev.datasetId);
  if (!dataset) {
    await finishEvaluation(db, id, { status: "failed", error: "the dataset was deleted while the evaluation ran" });
    return;
  }
  const format = dataset.format as DatasetFormat;
  const rows = await scoredBenchRows(db, { evaluationId: id, datasetId: dataset.id });
  const versions = [ev.candidateVersionId, ...(ev.baselineVersionId ? [ev.baselineVersionId] : [])];
  const pairs = new Set(rows.map((r) => r.pairHash));
  const failedPairs = new Set(rows.filter((r) => r.status !== "done").map((r) => r.pairHash));
  if (pairs.size === 0 || failedPairs.size > MAX_FAILED_ITEM_SHARE * pairs.size) {
    await finishEvaluation(db, id, {
      status: "failed",
      error:
        `LLM calls failed for ${failedPairs.size} of ${pairs.size} pairs (after retries); ` +
        "the numbers would measure the outage, so no result is reported",
    });
    return;
  }

  // A pair that failed for any version is left out for all, as on the held-out set.
  const usable = rows.filter((r) => !failedPairs.has(r.pairHash));
  const seenUsage = new Set<string>();
  const scored = (versionId: string): ScoredUnit[] =>
    rows
      .filter((r) => r.versionId === versionId)
      .map((r) => {
        const ok = r.status === "done";
        const correct = ok ? r.verdict !== null && r.verdict === r.label : null;
        const both = r.orders?.ab !== undefined && r.orders?.ba !== undefined;
        // Usage is per judged pair: count it once even when several people labelled the pair.
        const usageKey = `${versionId}:${r.pairHash}`;
        const usage = !seenUsage.has(usageKey) && r.usage ? (r.usage as unknown as ScoredUnit["usage"]) : null;
        seenUsage.add(usageKey);
        return {
          itemId: r.itemId,
          label: r.label,
          category: r.subset,
          source: format,
          verdict: r.verdict ?? null,
          correct,
          consistentCorrect: ok && ev.swap ? Boolean(correct && both && r.orders!.ab === r.orders!.ba) : null,
          invalidVotes: r.invalidVotes,
          totalVotes: r.totalVotes,
          usage,
          confidence: ok ? r.confidence : null,
          confidenceSource: r.confidenceSource,
        };
      });
  const benchUnits = (versionId: string): BenchUnit[] =>
    usable
      .filter((r) => r.versionId === versionId)
      .map((r) => ({
        itemId: r.itemId,
        pairHash: r.pairHash,
        subset: r.subset,
        label: r.label,
        meta: r.meta,
        verdict: r.verdict ?? null,
        orders: r.orders ?? {},
        lenA: r.lenA,
        lenB: r.lenB,
      }));
  const report = (versionId: string) =>
    benchmarkReport(format, benchUnits(versionId), { swap: ev.swap, isHuman: (u) => humanLabelled(format, u.meta) });
  const gate = ev.gate as unknown as GateParams;
  const datasetRef = { id: dataset.id, name: dataset.name, format };

  await db.transaction(async (tx) => {
    const locked = await lockEvaluation(tx, id);
    if (!locked || locked.status !== "running") return;
    const candidate = (await findVersion(tx, ev.evaluatorId, ev.candidateVersionId))!;
    const now = deps.clock.now().toISOString();
    const candidateReport = report(candidate.id);
    let result: Record<string, unknown>;
    if (ev.baselineVersionId) {
      const baseline = (await findVersion(tx, ev.evaluatorId, ev.baselineVersionId))!;
      const paired = evaluationResult(scored(candidate.id), scored(baseline.id), { swap: ev.swap, gate });
      const applied: AppliedDecision = ev.promote
        ? await applyGate(tx, ev, candidate, baseline, paired)
        : { applied: false, outcome: "not_requested", note: "promote was false: the decision is advisory" };
      if (ev.promote) await setVersionEvaluation(tx, candidate.id, { gateDecision: decisionRecord(ev, paired, applied, now) });
      result = { ...paired, applied, dataset: datasetRef, ...candidateReport, baseline_report: report(baseline.id) };
    } else {
      const all = scored(candidate.id);
      const comparable = new Set(all.filter((u) => u.correct !== null).map((u) => u.itemId));
      const metrics = versionMetrics(all, comparable, ev.swap);
      result = {
        n: comparable.size,
        excluded_items: all.length - comparable.size,
        candidate: metrics,
        baseline: null,
        comparison: null,
        decision: null,
        applied: null,
        dataset: datasetRef,
        ...candidateReport,
        baseline_report: null,
      };
    }
    // A version's `metrics` stay those of its held-out evaluations (what the gate reads); benchmark
    // results live on the evaluation.
    await completeEvaluation(tx, id, { result, progressDone: versions.length * pairs.size - countFailedUnits(rows) });
  });
}

function countFailedUnits(rows: Row[]): number {
  const failed = new Set(rows.filter((r) => r.status !== "done").map((r) => `${r.pairHash}:${r.versionId}`));
  return failed.size;
}
