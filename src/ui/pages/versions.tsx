// An evaluator's versions: timeline, accuracy plot with 95% intervals, gate decisions,
// Activate / Roll back (admin), audit trail (pure).
import type { AuditEventWithNames } from "../../db/queries/audit";
import type { EvaluatorRow } from "../../db/queries/evaluators";
import type { VersionRow } from "../../db/queries/versions";
import { wilsonInterval } from "../../evaluation/statistics";
import { Badge, Card, ChartCanvas, Empty, fmtP, pct, short, when } from "../components";
import { CsrfField, isAdmin, type PageCtx } from "../layout";

type Metrics = {
  n?: number;
  accuracy?: number;
  ci95?: [number, number];
  position_consistent_accuracy?: number | null;
  evaluation_id?: string;
  role?: string;
  against?: { name?: string };
};
type Gate = {
  decision?: string;
  reasons?: string[];
  comparison?: { p_value?: number; delta?: number };
  outcome?: string;
  note?: string;
  evaluation_id?: string;
};

export type VersionPoint = {
  name: string;
  accuracy: number;
  ci: [number, number];
  pcAccuracy: number | null;
  pcCi: [number, number] | null;
  n: number;
};

/** One point per version that has held-out numbers, oldest first. */
export function versionPoints(versions: VersionRow[]): VersionPoint[] {
  return [...versions]
    .sort((a, b) => a.number - b.number)
    .flatMap((v) => {
      const m = v.metrics as Metrics | null;
      if (!m || typeof m.accuracy !== "number" || typeof m.n !== "number" || m.n <= 0) return [];
      const ci = m.ci95 ?? wilsonInterval(Math.round(m.accuracy * m.n), m.n);
      const pcAcc = typeof m.position_consistent_accuracy === "number" ? m.position_consistent_accuracy : null;
      const pcCi = pcAcc === null ? null : wilsonInterval(Math.min(m.n, Math.round(pcAcc * m.n)), m.n);
      return [{ name: v.name, accuracy: m.accuracy, ci, pcAccuracy: pcAcc, pcCi, n: m.n }];
    });
}

export function versionsChartConfig(points: VersionPoint[]) {
  const labels = points.map((p) => p.name);
  return {
    type: "line",
    data: {
      labels,
      datasets: [
        {
          label: "held-out accuracy",
          data: points.map((p) => p.accuracy),
          borderColor: "#2457c5",
          backgroundColor: "#2457c5",
          showLine: true,
          pointRadius: 5,
        },
        {
          label: "position-consistent accuracy",
          data: points.map((p) => p.pcAccuracy),
          borderColor: "#137333",
          backgroundColor: "#137333",
          showLine: true,
          pointRadius: 4,
          borderDash: [4, 3],
        },
        {
          type: "bar",
          label: "95% interval (accuracy)",
          data: points.map((p) => p.ci),
          backgroundColor: "rgba(36,87,197,0.22)",
          grouped: false,
          barPercentage: 0.12,
        },
        {
          type: "bar",
          label: "95% interval (position-consistent)",
          data: points.map((p) => p.pcCi),
          backgroundColor: "rgba(19,115,51,0.14)",
          grouped: false,
          barPercentage: 0.3,
        },
      ],
    },
    options: {
      scales: { y: { min: 0, max: 1, title: { display: true, text: "accuracy on the held-out set" } } },
      plugins: { legend: { position: "bottom" } },
    },
  };
}

function origin(v: VersionRow): string {
  if (v.number === 1 && !v.trainingRunId) return "seed";
  if (v.trainingRunId) return `training run ${short(v.trainingRunId)}${v.iteration ? ` · iteration ${v.iteration}` : ""}`;
  return "registered";
}

function GateCell(props: { v: VersionRow }) {
  const g = props.v.gateDecision as Gate | null;
  if (!g || !g.decision) return <span class="muted">—</span>;
  return (
    <div>
      <Badge value={g.decision} /> <span class="small muted">p = {fmtP(g.comparison?.p_value)}</span>
      {g.outcome ? <div class="small muted">{g.note ?? g.outcome}</div> : null}
      <ul class="small" style="margin:4px 0 0 16px;padding:0">
        {(g.reasons ?? []).map((r) => (
          <li>{r}</li>
        ))}
      </ul>
      {g.evaluation_id ? (
        <a class="small" href={`/ui/evaluations/${g.evaluation_id}`}>
          evaluation {short(g.evaluation_id)}
        </a>
      ) : null}
    </div>
  );
}

function Interval(props: { x: number | null; ci: [number, number] | null }) {
  if (props.x === null) return <span class="muted">—</span>;
  return (
    <span>
      {pct(props.x)}{" "}
      <span class="small muted">{props.ci ? `[${pct(props.ci[0])}, ${pct(props.ci[1])}]` : ""}</span>
    </span>
  );
}

export function VersionsPage(props: {
  ctx: PageCtx;
  evaluator: EvaluatorRow;
  versions: VersionRow[];
  audit: AuditEventWithNames[];
  rollbackTo: string | null;
}) {
  const { ctx, evaluator, versions } = props;
  const admin = isAdmin(ctx);
  const ordered = [...versions].sort((a, b) => a.number - b.number);
  const points = versionPoints(versions);
  const byName = new Map(points.map((p) => [p.name, p]));
  const active = versions.find((v) => v.status === "active");
  return (
    <>
      <p class="muted">
        {evaluator.description || "No description."} · Active version:{" "}
        <strong data-testid="active-version">{active ? active.name : "none"}</strong>
      </p>
      <Card title="Timeline">
        <div class="timeline" data-testid="timeline">
          {ordered.map((v) => (
            <div class={`v ${v.status}`}>
              <div>
                <strong>{v.name}</strong> <Badge value={v.status} />
              </div>
              <div class="small muted">{origin(v)}</div>
              <div class="small muted">{v.model}</div>
            </div>
          ))}
        </div>
      </Card>
      <Card title="Held-out accuracy per version (95% intervals)">
        {points.length ? (
          <ChartCanvas id="versions-chart" label="held-out accuracy per version" config={versionsChartConfig(points)} />
        ) : (
          <Empty>No version has been evaluated yet. Start one below (or API: POST /v1/evaluations), or a training run.</Empty>
        )}
      </Card>
      {admin ? (
        <Card title="Evaluate a version">
          {active && versions.some((v) => v.status !== "active") ? (
            <form method="post" action="/ui/evaluations" class="inline" data-testid="evaluate-form">
              <CsrfField ctx={ctx} />
              <input type="hidden" name="evaluator" value={evaluator.name} />
              <label>
                Candidate{" "}
                <select name="version" required>
                  {[...ordered]
                    .reverse()
                    .filter((v) => v.status !== "active")
                    .map((v) => (
                      <option value={v.id}>
                        {v.name} ({v.status})
                      </option>
                    ))}
                </select>
              </label>
              <span class="muted">against {active.name} on the held-out set,</span>
              <input name="limit" type="number" min={1} placeholder="all items" size={8} aria-label="at most this many items" />
              <label>
                <input type="checkbox" name="promote" /> through the promotion gate (activates it if it wins)
              </label>
              <button type="submit" data-busy="Starting…" data-testid="evaluate">
                Start evaluation
              </button>
            </form>
          ) : (
            <Empty>No candidate to evaluate: register a version (API: POST /v1/versions) or start a training run.</Empty>
          )}
        </Card>
      ) : null}
      {admin ? (
        <Card title="Roll back">
          {props.rollbackTo && active ? (
            <form
              method="post"
              action={`/ui/evaluators/${encodeURIComponent(evaluator.name)}/rollback`}
              class="inline"
              data-confirm={`Roll back ${evaluator.name} from ${active.name} to ${props.rollbackTo}? Judge traffic switches immediately.`}
            >
              <CsrfField ctx={ctx} />
              <input name="reason" required minlength={3} maxlength={500} placeholder="Reason (goes to the audit trail)" size={44} />
              <button type="submit" class="danger" data-testid="rollback">
                Roll back to {props.rollbackTo}
              </button>
            </form>
          ) : (
            <Empty>Nothing to roll back to: no earlier active version in the activation history.</Empty>
          )}
        </Card>
      ) : null}
      <Card title="Versions">
        <table data-testid="versions-table">
          <thead>
            <tr>
              <th>Version</th>
              <th>Status</th>
              <th>Model</th>
              <th>Accuracy [95%]</th>
              <th>Position-consistent [95%]</th>
              <th>Gate decision</th>
              <th>Created</th>
              {admin ? <th></th> : null}
            </tr>
          </thead>
          <tbody>
            {[...ordered].reverse().map((v) => {
              const p = byName.get(v.name);
              return (
                <tr>
                  <td>
                    <strong>{v.name}</strong>
                    {v.notes ? <div class="small muted">{v.notes}</div> : null}
                  </td>
                  <td>
                    <Badge value={v.status} />
                  </td>
                  <td class="mono">{v.model}</td>
                  <td>
                    <Interval x={p?.accuracy ?? null} ci={p?.ci ?? null} />
                    {p ? <div class="small muted">n = {p.n}</div> : null}
                  </td>
                  <td>
                    <Interval x={p?.pcAccuracy ?? null} ci={p?.pcCi ?? null} />
                  </td>
                  <td>
                    <GateCell v={v} />
                  </td>
                  <td class="small">{when(v.createdAt)}</td>
                  {admin ? (
                    <td>
                      {v.status !== "active" ? (
                        <form
                          method="post"
                          action={`/ui/evaluators/${encodeURIComponent(evaluator.name)}/activate`}
                          data-confirm={`Make ${v.name} the active version of ${evaluator.name}?${v.status === "rejected" ? " The gate rejected it." : ""}`}
                        >
                          <CsrfField ctx={ctx} />
                          <input type="hidden" name="version" value={v.id} />
                          <input name="reason" required minlength={3} maxlength={500} placeholder="Reason" size={14} />
                          <button type="submit" class="secondary" data-testid={`activate-${v.name}`}>
                            Activate
                          </button>
                        </form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
      <Card title="Audit trail">
        {props.audit.length ? (
          <table data-testid="audit-trail">
            <thead>
              <tr>
                <th>When</th>
                <th>Action</th>
                <th>Change</th>
                <th>Actor</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {props.audit.map((e) => (
                <tr>
                  <td class="small">{when(e.createdAt)}</td>
                  <td>
                    <Badge value={e.action} />
                  </td>
                  <td>{e.fromName || e.toName ? `${e.fromName ?? "—"} → ${e.toName ?? "—"}` : String((e.details as { version?: string } | null)?.version ?? "")}</td>
                  <td class="small mono">{e.actor ?? "—"}</td>
                  <td>{e.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No changes recorded yet.</Empty>
        )}
      </Card>
    </>
  );
}
