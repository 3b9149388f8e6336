// Training runs: list with the Start run form, and a run's page whose live region refreshes
// in place while it runs (pure).
import type { TrainingRunBody } from "../../routes/training/training.schemas";
import type { EvaluatorRow } from "../../db/queries/evaluators";
import type { IterationRecord } from "../../db/schema/training-state";
import { Badge, Card, Empty, num, pct, Progress, short, when } from "../components";
import { CsrfField, type PageCtx } from "../layout";

const ENDED = ["completed", "failed", "canceled"];
/** The API body types iterations loosely; they are the stored records. */
const iterationsOf = (r: TrainingRunBody) => r.iterations as unknown as IterationRecord[];

const STEPS = ["curate", "synthesize", "annotate", "select", "train", "evaluate"];

function balance(c: Record<string, number>): string {
  const a = c.kept_a ?? 0;
  const b = c.kept_b ?? 0;
  return a + b > 0 ? `${a} A / ${b} B (${pct(a / (a + b), 0)} A)` : "—";
}

export function TrainingListPage(props: {
  ctx: PageCtx;
  evaluators: EvaluatorRow[];
  evaluator: string;
  runs: TrainingRunBody[];
  nextHref: string | null;
  jobsEnabled: boolean;
}) {
  return (
    <>
      <form method="get" action="/ui/training" class="filters">
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
      <Card title="Runs">
        {props.runs.length ? (
          <table data-testid="training-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                <th>Step</th>
                <th>Iteration</th>
                <th>Outcome</th>
                <th class="num">Tokens</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((r) => {
                const last = iterationsOf(r).at(-1);
                return (
                  <tr>
                    <td>
                      <a href={`/ui/training/${r.id}`}>{short(r.id)}</a> <span class="small muted">{r.trigger}</span>
                    </td>
                    <td>
                      <Badge value={r.status} />
                    </td>
                    <td>{r.current_step ?? "—"}</td>
                    <td>
                      {r.iteration} / {r.iterations_total}
                    </td>
                    <td>{last ? `${last.candidate?.name ?? "no candidate"}: ${last.status}` : "—"}</td>
                    <td class="num">{num((r.usage.prompt_tokens ?? 0) + (r.usage.completion_tokens ?? 0))}</td>
                    <td class="small">{when(r.created_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <Empty>No training runs yet. Start one below once the pool has traffic (every judged instruction joins it).</Empty>
        )}
        {props.nextHref ? (
          <p>
            <a href={props.nextHref}>Next page →</a>
          </p>
        ) : null}
      </Card>
      <Card title="Start a run">
        {props.jobsEnabled ? (
          <form method="post" action="/ui/training" class="filters" data-testid="start-run">
            <CsrfField ctx={props.ctx} />
            <input type="hidden" name="evaluator" value={props.evaluator} />
            <label>
              Iterations
              <input type="number" name="iterations" value="1" min="1" max="10" />
            </label>
            <label>
              Sample size
              <input type="number" name="sample_size" value="500" min="1" max="100000" />
            </label>
            <label>
              Judgments per pair
              <input type="number" name="samples_per_pair" value="8" min="2" max="64" />
            </label>
            <label>
              Held-out fraction
              <input type="number" name="heldout_fraction" value="0.1" min="0" max="0.5" step="0.01" />
            </label>
            <label>
              Temperature
              <input type="number" name="temperature" value="0.7" min="0" max="2" step="0.05" />
            </label>
            <label>
              Backend
              <select name="backend">
                <option value="few-shot">few-shot</option>
                <option value="openai">openai (fine-tuning)</option>
                <option value="external">external</option>
              </select>
            </label>
            <label>
              Seed (optional)
              <input type="number" name="seed" min="0" />
            </label>
            <label>
              <span>
                <input type="checkbox" name="auto_promote" value="true" checked /> promote when the gate passes
              </span>
              <span>
                <input type="checkbox" name="consistency_filter" value="true" /> consistency filter (J1)
              </span>
            </label>
            <button type="submit" data-confirm="Start a training run? It calls the LLM many times.">
              Start run
            </button>
          </form>
        ) : (
          <Empty>Background jobs are disabled on this instance (JOBS_ENABLED=false), so runs start on a Node instance with jobs.</Empty>
        )}
      </Card>
    </>
  );
}

/** Everything about a run that changes while it runs; served alone for polling. */
export function TrainingLive(props: { run: TrainingRunBody; ctx: PageCtx }) {
  const r = props.run;
  const ended = ENDED.includes(r.status);
  const c = r.counters;
  return (
    <div data-final={ended ? "1" : undefined}>
      <div class="grid">
        <div class="card stat">
          <div class="v">
            <Badge value={r.status} />
          </div>
          <div class="l" data-testid="run-step">
            {r.current_step ? `step ${r.current_step}` : "no step running"} · iteration {r.iteration} of {r.iterations_total}
            {r.cancel_requested && !ended ? " · cancel requested" : ""}
          </div>
        </div>
        <div class="card stat">
          <div class="v" data-testid="run-tokens">
            {num((r.usage.prompt_tokens ?? 0) + (r.usage.completion_tokens ?? 0))}
          </div>
          <div class="l">
            LLM tokens ({num(r.usage.prompt_tokens ?? 0)} prompt, {num(r.usage.completion_tokens ?? 0)} completion) in {num(r.usage.llm_requests ?? r.usage.requests ?? 0)} requests
          </div>
        </div>
      </div>
      {r.error ? <div class="error-box">{r.error}</div> : null}
      {r.waiting_for ? <div class="flash">Waiting for {r.waiting_for}</div> : null}
      <Card title="Progress">
        <table data-testid="run-progress">
          <tbody>
            {STEPS.filter((s) => r.progress[s] || s === r.current_step).map((s) => {
              const p = r.progress[s] ?? { done: 0, total: 0 };
              return (
                <tr>
                  <td style="width:120px">
                    <strong>{s}</strong>
                  </td>
                  <td>
                    <Progress done={p.done} total={p.total} />
                  </td>
                  <td class="num" style="width:140px" data-testid={`progress-${s}`}>
                    {num(p.done)} / {num(p.total)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
      <Card title="Counters (current iteration)">
        <div class="grid">
          <dl class="kv">
            <dt>Instructions curated</dt>
            <dd data-testid="counter-selected">{num(c.selected)}</dd>
            <dt>Held-out instructions</dt>
            <dd>{num(c.heldout_selected)}</dd>
            <dt>Pairs built</dt>
            <dd>{num(c.pairs_built)}</dd>
          </dl>
          <dl class="kv">
            <dt>Dropped: malformed</dt>
            <dd>{num(c.dropped_malformed)}</dd>
            <dt>Dropped: same instruction</dt>
            <dd>{num(c.dropped_same_instruction)}</dd>
            <dt>Dropped: inconsistent</dt>
            <dd>{num(c.dropped_inconsistent)}</dd>
          </dl>
          <dl class="kv">
            <dt>Judgments sampled</dt>
            <dd>{num(c.judgments_sampled)}</dd>
            <dt>Judgments kept</dt>
            <dd>{num(c.kept)}</dd>
            <dt>A/B balance</dt>
            <dd>{balance(c)}</dd>
          </dl>
        </div>
      </Card>
      <Card title="Iterations">
        {iterationsOf(r).length ? (
          <table data-testid="iterations">
            <thead>
              <tr>
                <th>#</th>
                <th>Status</th>
                <th>Annotator</th>
                <th>Candidate</th>
                <th>Gate decision</th>
                <th>Finished</th>
              </tr>
            </thead>
            <tbody>
              {iterationsOf(r).map((it) => {
                const d = it.decision as { decision?: string; reasons?: string[] } | null;
                return (
                  <tr>
                    <td>{it.iteration}</td>
                    <td>
                      <Badge value={it.status} />
                      {it.error ? <div class="small muted">{it.error}</div> : null}
                    </td>
                    <td>{it.annotator?.name ?? "—"}</td>
                    <td>
                      {it.candidate ? (
                        <>
                          <strong>{it.candidate.name}</strong> <span class="mono small">{it.candidate.model}</span>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      {d?.decision ? <Badge value={d.decision} /> : "—"}
                      {d?.reasons ? <div class="small muted">{d.reasons.join("; ")}</div> : null}
                      {it.evaluation ? (
                        <a class="small" href={`/ui/evaluations/${it.evaluation.id}`}>
                          evaluation {short(it.evaluation.id)}
                        </a>
                      ) : null}
                    </td>
                    <td class="small">{when(it.finished_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <Empty>No iteration has finished its data yet.</Empty>
        )}
      </Card>
      {!ended && props.ctx.auth.scope === "admin" ? (
        <form method="post" action={`/ui/training/${r.id}/cancel`} data-confirm="Cancel this training run? Finished work is kept; no candidate is promoted.">
          <CsrfField ctx={props.ctx} />
          <button type="submit" class="danger" data-testid="cancel-run">
            Cancel run
          </button>
        </form>
      ) : null}
    </div>
  );
}

export function TrainingRunPage(props: { ctx: PageCtx; run: TrainingRunBody }) {
  const r = props.run;
  const ended = ENDED.includes(r.status);
  const p = r.params as Record<string, unknown>;
  return (
    <>
      <div class="crumbs">
        <a href={`/ui/training?evaluator=${encodeURIComponent(r.evaluator)}`}>Training</a> / {short(r.id)} · evaluator{" "}
        <a href={`/ui/evaluators/${encodeURIComponent(r.evaluator)}`}>{r.evaluator}</a> · started {when(r.created_at)} ({r.trigger})
      </div>
      <p class="small muted">
        backend {String(p.backend)} · {String(p.iterations)} iteration(s) · sample size {String(p.sample_size)} · {String(p.samples_per_pair)} judgments per pair ·
        seed {String(p.seed)}
      </p>
      <div data-poll={ended ? undefined : `/ui/training/${r.id}/live`} data-poll-ms="1000" aria-live="polite" data-testid="run-live">
        <TrainingLive run={r} ctx={props.ctx} />
      </div>
    </>
  );
}
