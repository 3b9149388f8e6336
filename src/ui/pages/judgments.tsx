// The judgments browser and one judgment's page with its feedback buttons (pure).
import type { JudgmentsView, JudgmentView } from "../../dashboard";
import { Badge, Card, Empty, num, pct, short, when } from "../components";
import { CsrfField, isAdmin, type PageCtx } from "../layout";

export type JudgmentFilterValues = {
  evaluator: string;
  version: string;
  verdict: string;
  status: string;
  from: string;
  to: string;
  q: string;
};

function Select(props: { name: string; label: string; value: string; options: Array<[string, string]> }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.options.map(([v, l]) => (
          <option value={v} selected={v === props.value}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

export function JudgmentsPage(props: { ctx: PageCtx; view: JudgmentsView; filters: JudgmentFilterValues; nextHref: string | null }) {
  const { view, filters: f } = props;
  return (
    <>
      <form method="get" action="/ui/judgments" class="filters card" data-testid="judgment-filters">
        <Select name="evaluator" label="Evaluator" value={view.evaluator.name} options={view.evaluators.map((e) => [e.name, e.name])} />
        <Select
          name="version"
          label="Version"
          value={f.version}
          options={[["", "any"], ...[...view.versions].sort((a, b) => b.number - a.number).map((v): [string, string] => [v.name, `${v.name} (${v.status})`])]}
        />
        <Select name="verdict" label="Verdict" value={f.verdict} options={[["", "any"], ["A", "A"], ["B", "B"], ["tie", "tie"]]} />
        <Select name="status" label="Status" value={f.status} options={[["", "any"], ["ok", "ok"], ["failed", "failed"]]} />
        <label>
          From (UTC)
          <input type="datetime-local" name="from" value={f.from} />
        </label>
        <label>
          To (UTC)
          <input type="datetime-local" name="to" value={f.to} />
        </label>
        <label>
          Instruction contains the words
          <input type="search" name="q" value={f.q} placeholder="e.g. refund policy" size={24} />
        </label>
        <button type="submit">Filter</button>
        <a href="/ui/judgments" class="small">reset</a>
      </form>
      <Card>
        {view.rows.length ? (
          <table data-testid="judgments">
            <thead>
              <tr>
                <th>When</th>
                <th>Instruction</th>
                <th>Version</th>
                <th>Verdict</th>
                <th class="num">Confidence</th>
                <th>Consistent</th>
                <th class="num">Tokens</th>
                <th class="num">Latency</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr>
                  <td class="small">
                    <a href={`/ui/judgments/${r.id}`}>{when(r.createdAt)}</a>
                  </td>
                  <td>
                    <a href={`/ui/judgments/${r.id}`}>{r.preview || "(empty)"}</a>
                  </td>
                  <td>{r.versionName}</td>
                  <td>{r.status === "failed" ? <Badge value="failed" /> : <strong>{r.verdict}</strong>}</td>
                  <td class="num">{pct(r.confidence, 0)}</td>
                  <td>{r.positionConsistent === null ? "—" : r.positionConsistent ? "yes" : "no"}</td>
                  <td class="num">{num(r.usage.prompt_tokens + r.usage.completion_tokens)}</td>
                  <td class="num">{num(r.latencyMs)} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No judgments match. Judgments appear here as soon as POST /v1/judge answers.</Empty>
        )}
        {props.nextHref ? (
          <p>
            <a href={props.nextHref} data-testid="next-page">
              Next page →
            </a>
          </p>
        ) : null}
      </Card>
    </>
  );
}

export function JudgmentPage(props: { ctx: PageCtx; view: JudgmentView }) {
  const { judgment: j, heldout } = props.view;
  const admin = isAdmin(props.ctx);
  const votes = j.votes ?? { A: 0, B: 0, tie: 0, invalid: 0 };
  return (
    <>
      <div class="crumbs">
        <a href={`/ui/judgments?evaluator=${encodeURIComponent(j.evaluatorName)}`}>Judgments</a> / {short(j.id)}
      </div>
      <div class="grid">
        <div class="card">
          <dl class="kv">
            <dt>Verdict</dt>
            <dd data-testid="verdict">{j.status === "failed" ? <Badge value="failed" /> : <strong>{j.verdict}</strong>}</dd>
            <dt>Confidence</dt>
            <dd>{pct(j.confidence, 0)}</dd>
            <dt>Position-consistent</dt>
            <dd>{j.positionConsistent === null ? "—" : j.positionConsistent ? "yes" : "no"}</dd>
            <dt>Votes</dt>
            <dd>
              A {votes.A} · B {votes.B} · tie {votes.tie} · invalid {votes.invalid}
            </dd>
          </dl>
        </div>
        <div class="card">
          <dl class="kv">
            <dt>Evaluator</dt>
            <dd>{admin ? <a href={`/ui/evaluators/${encodeURIComponent(j.evaluatorName)}`}>{j.evaluatorName}</a> : j.evaluatorName}</dd>
            <dt>Version</dt>
            <dd>{j.versionName}</dd>
            <dt>Samples</dt>
            <dd>
              {j.samples} per order{j.swap ? ", both orders" : ", one order"}
              {j.temperature !== null ? `, temperature ${Math.round(j.temperature * 100) / 100}` : ""}
            </dd>
            <dt>Usage</dt>
            <dd>
              {num(j.usage.prompt_tokens)} prompt + {num(j.usage.completion_tokens)} completion tokens, {j.usage.llm_requests} LLM requests
            </dd>
            <dt>Latency</dt>
            <dd>{num(j.latencyMs)} ms</dd>
            <dt>Created</dt>
            <dd>{when(j.createdAt)}</dd>
          </dl>
        </div>
      </div>
      {j.error ? <div class="error-box">{j.error}</div> : null}
      <Card title="Instruction">
        <pre class="text">{j.instruction}</pre>
        {j.reference ? (
          <>
            <h3>Reference</h3>
            <pre class="text">{j.reference}</pre>
          </>
        ) : null}
      </Card>
      <div class="pair">
        <Card title="Response A">
          <pre class="text">{j.responseA}</pre>
        </Card>
        <Card title="Response B">
          <pre class="text">{j.responseB}</pre>
        </Card>
      </div>
      <Card title="Human feedback" id="feedback">
        {heldout ? (
          <p data-testid="heldout-label">
            In the held-out set as <Badge value={heldout.source} /> gold: <strong>{heldout.label === "tie" ? "tie" : `${heldout.label} better`}</strong>
            {heldout.note ? <span class="muted"> — {heldout.note}</span> : null}
          </p>
        ) : (
          <p class="muted">Your label puts this pair in the held-out set as human gold, which the promotion gate measures every candidate on.</p>
        )}
        {admin ? (
          <form method="post" action={`/ui/judgments/${j.id}/feedback`} class="inline" data-testid="feedback-form">
            <CsrfField ctx={props.ctx} />
            <input name="note" maxlength={1000} placeholder="Note (optional)" size={36} />
            <button type="submit" name="preferred" value="A" data-testid="feedback-A">
              A better
            </button>
            <button type="submit" name="preferred" value="B" data-testid="feedback-B">
              B better
            </button>
            <button type="submit" name="preferred" value="tie" class="secondary" data-testid="feedback-tie">
              Tie
            </button>
          </form>
        ) : (
          <p class="small muted">Labelling needs an admin key.</p>
        )}
      </Card>
      {j.reasoning ? (
        <Card title="Reasoning (the output behind the verdict)">
          <pre class="text">{j.reasoning}</pre>
        </Card>
      ) : null}
      <Card title={`Raw judge outputs (${j.rawOutputs.length})`}>
        {j.rawOutputs.length ? (
          <table data-testid="raw-outputs">
            <thead>
              <tr>
                <th>Order</th>
                <th>#</th>
                <th>Vote</th>
                <th>As the judge saw it</th>
                <th>Output</th>
              </tr>
            </thead>
            <tbody>
              {j.rawOutputs.map((o) => (
                <tr>
                  <td>{o.order === "ab" ? "A first" : "B first"}</td>
                  <td>{o.index}</td>
                  <td>
                    <Badge value={o.vote} />
                    {o.reason ? <div class="small muted">{o.reason}</div> : null}
                  </td>
                  <td>{o.raw_vote}</td>
                  <td>
                    <pre class="text">{o.text}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No output was received from the judge.</Empty>
        )}
      </Card>
    </>
  );
}
