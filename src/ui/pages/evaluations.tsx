// Evaluations: the list, and one evaluation side by side with its breakdowns, paired comparison
// and gate decision; a running one refreshes its live region (pure).
import type { EvaluationWithNames } from "../../db/queries/evaluations";
import type { EvaluationResult, VersionMetrics } from "../../evaluation";
import type { EvaluatorRow } from "../../db/queries/evaluators";
import { Badge, Card, ChartCanvas, Empty, fmtP, num, pct, Progress, short, when } from "../components";
import { CsrfField, type PageCtx } from "../layout";
import { ExtraSections } from "./evaluation-sections";

const ENDED = ["completed", "failed", "canceled"];

/** Held-out results have every part; a benchmark evaluation without a baseline has no baseline,
 * comparison or decision, and adds dataset, benchmark, agreement and bias sections. */
type Result = Omit<EvaluationResult, "baseline" | "comparison" | "decision"> & {
  baseline: EvaluationResult["baseline"] | null;
  comparison: EvaluationResult["comparison"] | null;
  decision: EvaluationResult["decision"] | null;
  applied?: { outcome?: string; note?: string } | null;
  dataset?: { id: string; name: string; format: string };
} & Record<string, unknown>;

function decisionOf(e: EvaluationWithNames): string | null {
  const r = e.result as Result | null;
  return r?.decision?.decision ?? null;
}

export function EvaluationsPage(props: { ctx: PageCtx; evaluators: EvaluatorRow[]; evaluator: string; rows: EvaluationWithNames[]; nextHref: string | null }) {
  return (
    <>
      <form method="get" action="/ui/evaluations" class="filters">
        <label>
          Evaluator
          <select name="evaluator">
            {props.evaluators.map((e) => (
              <option value={e.name} selected={e.name === props.evaluator}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      <Card>
        {props.rows.length ? (
          <table data-testid="evaluations">
            <thead>
              <tr>
                <th>Evaluation</th>
                <th>Status</th>
                <th>Candidate vs baseline</th>
                <th>Progress</th>
                <th>Accuracy (candidate / baseline)</th>
                <th>Gate</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((e) => {
                const r = e.result as Result | null;
                return (
                  <tr>
                    <td>
                      <a href={`/ui/evaluations/${e.id}`}>{short(e.id)}</a>
                      {e.trainingRunId ? <div class="small muted">training run {short(e.trainingRunId)}</div> : null}
                    </td>
                    <td>
                      <Badge value={e.status} />
                    </td>
                    <td>
                      <strong>{e.candidateName}</strong> vs {e.baselineName ?? "—"}
                      <div class="small muted">{r?.dataset ? `benchmark ${r.dataset.name} (${r.dataset.format})` : "held-out set"}</div>
                    </td>
                    <td style="min-width:120px">
                      <Progress done={e.progressDone} total={e.progressTotal} />
                      <span class="small muted">
                        {e.progressDone} / {e.progressTotal}
                      </span>
                    </td>
                    <td>{r ? `${pct(r.candidate.accuracy)} / ${r.baseline ? pct(r.baseline.accuracy) : "—"}` : "—"}</td>
                    <td>{decisionOf(e) ? <Badge value={decisionOf(e)} /> : <span class="muted">{e.promote ? "pending" : "not gated"}</span>}</td>
                    <td class="small">{when(e.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <Empty>No evaluations yet. Training runs evaluate their candidates; POST /v1/evaluations starts one by hand.</Empty>
        )}
        {props.nextHref ? (
          <p>
            <a href={props.nextHref}>Next page →</a>
          </p>
        ) : null}
      </Card>
    </>
  );
}

function MetricsColumn(props: { title: string; m: VersionMetrics }) {
  const { m } = props;
  return (
    <div class="card">
      <h2>{props.title}</h2>
      <dl class="kv">
        <dt>Accuracy</dt>
        <dd>
          <strong>{pct(m.accuracy)}</strong> <span class="small muted">[{pct(m.ci95[0])}, {pct(m.ci95[1])}]</span> ({m.correct}/{m.n})
        </dd>
        <dt>Position-consistent</dt>
        <dd>
          {pct(m.position_consistent_accuracy)}{" "}
          {m.position_consistent_ci95 ? (
            <span class="small muted">
              [{pct(m.position_consistent_ci95[0])}, {pct(m.position_consistent_ci95[1])}]
            </span>
          ) : null}
        </dd>
        <dt>Invalid outputs</dt>
        <dd>{pct(m.invalid_output_rate, 2)}</dd>
        <dt>No verdict</dt>
        <dd>{m.no_verdict}</dd>
        <dt>LLM failures</dt>
        <dd>{m.llm_failures}</dd>
        <dt>Usage</dt>
        <dd>
          {num(m.usage.prompt_tokens + m.usage.completion_tokens)} tokens, {num(m.usage.llm_requests)} requests
        </dd>
      </dl>
    </div>
  );
}

export function breakdownChart(key: "by_category" | "by_source", r: Result, names: [string, string]) {
  const base = r.baseline?.[key] ?? {};
  const labels = [...new Set([...Object.keys(r.candidate[key]), ...Object.keys(base)])].sort();
  return {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: names[0], data: labels.map((l) => r.candidate[key][l]?.accuracy ?? null), backgroundColor: "#2457c5" },
        ...(r.baseline ? [{ label: names[1], data: labels.map((l) => base[l]?.accuracy ?? null), backgroundColor: "#9ca3af" }] : []),
      ],
    },
    options: { scales: { y: { min: 0, max: 1 } }, plugins: { legend: { position: "bottom" } } },
  };
}

/** The part of an evaluation's page that changes while it runs (also served alone for polling). */
export function EvaluationLive(props: { e: EvaluationWithNames; ctx: PageCtx; canCancel: boolean }) {
  const { e } = props;
  const ended = ENDED.includes(e.status);
  const r = e.result as Result | null;
  const names: [string, string] = [e.candidateName, e.baselineName ?? "baseline"];
  return (
    <div data-final={ended ? "1" : undefined}>
      <Card>
        <p>
          <Badge value={e.status} /> <strong>{e.candidateName}</strong> (candidate) vs <strong>{e.baselineName ?? "—"}</strong> (baseline)
          {e.error ? <span class="muted"> — {e.error}</span> : null}
        </p>
        <Progress done={e.progressDone} total={e.progressTotal} />
        <p class="small muted" data-testid="evaluation-progress">
          {e.progressDone} of {e.progressTotal} judgments done{ended ? "" : " · updating live"}
        </p>
      </Card>
      {r ? (
        <>
          {r.dataset ? (
            <p class="muted" data-testid="benchmark-dataset">
              On benchmark dataset <strong>{r.dataset.name}</strong> ({r.dataset.format}); categories are its subsets.
            </p>
          ) : null}
          <div class="grid two">
            <MetricsColumn title={`${e.candidateName} (candidate)`} m={r.candidate} />
            {r.baseline ? <MetricsColumn title={`${e.baselineName ?? "baseline"} (baseline)`} m={r.baseline} /> : null}
          </div>
          <div class="grid two">
            <Card title="Accuracy per category">
              <ChartCanvas id="category-chart" label="accuracy per category" config={breakdownChart("by_category", r, names)} height={220} />
            </Card>
            <Card title="Accuracy per source">
              <ChartCanvas id="source-chart" label="accuracy per source" config={breakdownChart("by_source", r, names)} height={220} />
              {r.candidate.by_source.human && r.baseline ? (
                <p class="small" data-testid="human-agreement">
                  Agreement with human labels: {e.candidateName} {pct(r.candidate.by_source.human.accuracy)} ({r.candidate.by_source.human.n} items),{" "}
                  {e.baselineName} {pct(r.baseline.by_source.human?.accuracy)}
                </p>
              ) : null}
            </Card>
          </div>
          {r.comparison && r.decision ? (
          <div class="grid two">
            <Card title="Paired comparison">
              <dl class="kv">
                <dt>Items</dt>
                <dd>
                  {r.comparison.n} {r.excluded_items ? <span class="muted">({r.excluded_items} left out after LLM failures)</span> : null}
                </dd>
                <dt>Difference</dt>
                <dd>
                  {r.comparison.delta >= 0 ? "+" : ""}
                  {(r.comparison.delta * 100).toFixed(2)} points
                </dd>
                <dt>Only candidate right</dt>
                <dd>{r.comparison.candidate_only_correct}</dd>
                <dt>Only baseline right</dt>
                <dd>{r.comparison.baseline_only_correct}</dd>
                <dt>Both right / both wrong</dt>
                <dd>
                  {r.comparison.both_correct} / {r.comparison.both_wrong}
                </dd>
                <dt>{r.comparison.test}</dt>
                <dd>p = {fmtP(r.comparison.p_value)}</dd>
              </dl>
            </Card>
            <Card title="Gate decision">
              <p>
                <Badge value={r.decision.decision} /> {r.applied?.note ? <span class="muted">{r.applied.note}</span> : null}
              </p>
              <ul>
                {r.decision.reasons.map((x) => (
                  <li>{x}</li>
                ))}
              </ul>
            </Card>
          </div>
          ) : null}
          <ExtraSections result={r} names={names} />
        </>
      ) : ended ? null : (
        <Card>
          <Empty>Results appear when every item is judged.</Empty>
        </Card>
      )}
      {!ended && props.canCancel ? (
        <form method="post" action={`/ui/evaluations/${e.id}/cancel`} data-confirm="Cancel this evaluation?">
          <CsrfField ctx={props.ctx} />
          <button type="submit" class="danger">
            Cancel evaluation
          </button>
        </form>
      ) : null}
    </div>
  );
}

export function EvaluationPage(props: { ctx: PageCtx; e: EvaluationWithNames; evaluatorName: string; canCancel: boolean }) {
  const { e } = props;
  const ended = ENDED.includes(e.status);
  return (
    <>
      <div class="crumbs">
        <a href={`/ui/evaluations?evaluator=${encodeURIComponent(props.evaluatorName)}`}>Evaluations</a> / {short(e.id)} · evaluator{" "}
        <a href={`/ui/evaluators/${encodeURIComponent(props.evaluatorName)}`}>{props.evaluatorName}</a>
        {e.trainingRunId ? (
          <>
            {" "}
            · <a href={`/ui/training/${e.trainingRunId}`}>training run {short(e.trainingRunId)}</a>
          </>
        ) : null}
      </div>
      <div data-poll={ended ? undefined : `/ui/evaluations/${e.id}/live`} data-poll-ms="1500" aria-live="polite">
        <EvaluationLive e={e} ctx={props.ctx} canCancel={props.canCancel} />
      </div>
    </>
  );
}
