/** Training runs as the CLI shows them (pure). */
import type { SelfjudgeClient, unwrap } from "../../client";
import { details, table } from "../format";
import type { WatchView } from "../watch";
import { pct } from "./shared";

export type TrainingRun = Awaited<ReturnType<typeof unwrap<Awaited<ReturnType<SelfjudgeClient["api"]["v1"]["training"]["runs"][":id"]["$get"]>>>>>;

export const RUN_ENDED = ["completed", "failed", "canceled", "waiting_external"];

export function runWatchView(r: TrainingRun): WatchView {
  const step = r.current_step;
  const p = step ? r.progress[step] : undefined;
  const label = r.status === "queued" ? "queued" : `iteration ${Math.max(r.iteration, 1)}/${r.iterations_total} ${step ?? r.status}`;
  return { label, done: p?.done ?? 0, total: p?.total ?? 0, ended: RUN_ENDED.includes(r.status) };
}

const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);

/** One row per iteration: candidate, its accuracy against the baseline's, the gate and what happened. */
export function iterationRows(r: TrainingRun): Array<Record<string, unknown>> {
  return r.iterations.map((it, i) => ({
    iteration: get(it, "iteration") ?? i + 1,
    candidate: get(it, "candidate", "name"),
    status: get(it, "status"),
    accuracy: pct(get(it, "evaluation", "metrics", "candidate", "accuracy") as number | undefined),
    baseline: pct(get(it, "evaluation", "metrics", "baseline", "accuracy") as number | undefined),
    gate: get(it, "decision", "decision"),
    promoted: get(it, "promoted"),
  }));
}

export function renderRun(r: TrainingRun): string {
  const head = details({
    run: r.id,
    evaluator: r.evaluator,
    status: r.status,
    step: r.current_step,
    iteration: `${r.iteration}/${r.iterations_total}`,
    backend: r.params.backend,
    usage: r.usage,
    ...(r.waiting_for ? { waiting_for: r.waiting_for } : {}),
    ...(r.error ? { error: r.error } : {}),
    created_at: r.created_at,
    finished_at: r.finished_at,
  });
  return r.iterations.length
    ? `${head}\n${table(iterationRows(r), ["iteration", "candidate", "status", "accuracy", "baseline", "gate", "promoted"])}`
    : head;
}
