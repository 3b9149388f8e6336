// Overview: every evaluator with its active version, traffic per day, cache hit rate, tokens,
// invalid-output rate, last training run (pure).
import type { EvaluatorSummary, OverviewView } from "../../dashboard";
import type { LastRunRow } from "../../db/queries/dashboard";
import { Badge, Card, ChartCanvas, Empty, num, pct, short, Stat, when } from "../components";
import type { PageCtx } from "../layout";

const COLORS = ["#2457c5", "#137333", "#a15c00", "#7c3aed", "#b3261e", "#0e7490", "#4b5563"];

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

function runOutcome(run: LastRunRow): string {
  const last = run.iterations[run.iterations.length - 1];
  if (!last) return run.status === "completed" ? "no iteration" : run.status;
  return last.candidate ? `${last.candidate.name} ${last.status}` : last.status;
}

export function overviewCharts(view: OverviewView) {
  const labels = view.days.map((d) => d.slice(5));
  const names = Object.keys(view.series);
  const total = (f: (d: OverviewView["series"][string][number]) => number) =>
    view.days.map((_, i) => names.reduce((s, n) => s + f(view.series[n]![i]!), 0));
  const requests = total((d) => d.requests);
  const hits = total((d) => d.cacheHits);
  const votes = total((d) => d.votes);
  const invalid = total((d) => d.invalidVotes);
  return {
    judgments: {
      type: "bar",
      data: {
        labels,
        datasets: names.map((n, i) => ({
          label: n,
          data: view.series[n]!.map((d) => d.requests),
          backgroundColor: COLORS[i % COLORS.length],
          stack: "s",
        })),
      },
      options: { plugins: { legend: { position: "bottom" } }, scales: { y: { beginAtZero: true, title: { display: true, text: "judge calls" } } } },
    },
    llm: {
      type: "line",
      data: {
        labels,
        datasets: [
          { label: "prompt tokens", data: total((d) => d.promptTokens), borderColor: "#2457c5", backgroundColor: "#2457c5", yAxisID: "y" },
          { label: "completion tokens", data: total((d) => d.completionTokens), borderColor: "#7c3aed", backgroundColor: "#7c3aed", yAxisID: "y" },
          { label: "LLM requests", data: total((d) => d.llmRequests), borderColor: "#a15c00", backgroundColor: "#a15c00", yAxisID: "y1", borderDash: [4, 3] },
        ],
      },
      options: {
        plugins: { legend: { position: "bottom" } },
        scales: {
          y: { beginAtZero: true, title: { display: true, text: "tokens" } },
          y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "requests" } },
        },
      },
    },
    rates: {
      type: "line",
      data: {
        labels,
        datasets: [
          { label: "cache hit rate", data: requests.map((r, i) => ratio(hits[i]!, r)), borderColor: "#137333", backgroundColor: "#137333", spanGaps: true },
          { label: "invalid-output rate", data: votes.map((v, i) => ratio(invalid[i]!, v)), borderColor: "#b3261e", backgroundColor: "#b3261e", spanGaps: true },
        ],
      },
      options: { plugins: { legend: { position: "bottom" } }, scales: { y: { min: 0, max: 1 } } },
    },
  };
}

function EvaluatorRowView(props: { e: EvaluatorSummary }) {
  const { e } = props;
  const t = e.totals;
  return (
    <tr>
      <td>
        <a href={`/ui/evaluators/${encodeURIComponent(e.name)}`}>
          <strong>{e.name}</strong>
        </a>
        {e.description ? <div class="small muted">{e.description}</div> : null}
      </td>
      <td>
        {e.active ? (
          <>
            <strong>{e.active.name}</strong> <span class="mono muted">{e.active.model}</span>
          </>
        ) : (
          <span class="muted">none</span>
        )}
      </td>
      <td class="num">{num(t.requests)}</td>
      <td class="num">{pct(ratio(t.cacheHits, t.requests))}</td>
      <td class="num">{pct(ratio(t.invalidVotes, t.votes), 2)}</td>
      <td class="num">{num(t.promptTokens + t.completionTokens)}</td>
      <td>
        {e.lastRun ? (
          <>
            <a href={`/ui/training/${e.lastRun.id}`}>{short(e.lastRun.id)}</a> <Badge value={e.lastRun.status} />
            <div class="small muted">
              {runOutcome(e.lastRun)} · {when(e.lastRun.finishedAt ?? e.lastRun.createdAt)}
            </div>
          </>
        ) : (
          <span class="muted">never trained</span>
        )}
      </td>
    </tr>
  );
}

export function OverviewPage(props: { ctx: PageCtx; view: OverviewView }) {
  const { view } = props;
  const all = view.evaluators.reduce(
    (a, e) => ({
      requests: a.requests + e.totals.requests,
      hits: a.hits + e.totals.cacheHits,
      tokens: a.tokens + e.totals.promptTokens + e.totals.completionTokens,
      llm: a.llm + e.totals.llmRequests,
      votes: a.votes + e.totals.votes,
      invalid: a.invalid + e.totals.invalidVotes,
    }),
    { requests: 0, hits: 0, tokens: 0, llm: 0, votes: 0, invalid: 0 },
  );
  const charts = overviewCharts(view);
  return (
    <>
      <p class="muted">Last {view.days.length} days (UTC), all evaluators.</p>
      <div class="grid">
        <Stat label="judge calls" value={num(all.requests)} testid="stat-requests" />
        <Stat label="cache hit rate" value={pct(ratio(all.hits, all.requests))} testid="stat-cache" />
        <Stat label={`LLM tokens in ${num(all.llm)} requests`} value={num(all.tokens)} testid="stat-tokens" />
        <Stat label="invalid judge outputs" value={pct(ratio(all.invalid, all.votes), 2)} testid="stat-invalid" />
      </div>
      <Card title="Evaluators">
        {view.evaluators.length ? (
          <table data-testid="evaluators">
            <thead>
              <tr>
                <th>Evaluator</th>
                <th>Active version</th>
                <th class="num">Judge calls</th>
                <th class="num">Cache hits</th>
                <th class="num">Invalid outputs</th>
                <th class="num">LLM tokens</th>
                <th>Last training run</th>
              </tr>
            </thead>
            <tbody>
              {view.evaluators.map((e) => (
                <EvaluatorRowView e={e} />
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No evaluators yet. Create one with POST /v1/evaluators.</Empty>
        )}
      </Card>
      {all.requests > 0 ? (
        <div class="grid three">
          <Card title="Judge calls per day">
            <ChartCanvas id="judgments-chart" label="judge calls per day" config={charts.judgments} />
          </Card>
          <Card title="LLM tokens and requests per day">
            <ChartCanvas id="llm-chart" label="LLM tokens and requests per day" config={charts.llm} />
          </Card>
          <Card title="Cache hit rate and invalid-output rate per day">
            <ChartCanvas id="rates-chart" label="cache hit rate and invalid-output rate per day" config={charts.rates} />
          </Card>
        </div>
      ) : (
        <Card title="Traffic">
          <Empty>No judge calls in the last {view.days.length} days. Send one with POST /v1/judge and it shows up here.</Empty>
        </Card>
      )}
    </>
  );
}
