// Overview: every evaluator with its active version, traffic and training at a glance (pure).
import type { OverviewView } from "../../dashboard";
import { Card, Empty, when } from "../components";
import type { PageCtx } from "../layout";

export function OverviewPage(props: { ctx: PageCtx; view: OverviewView }) {
  const { view } = props;
  return (
    <>
      <Card title="Evaluators">
        {view.evaluators.length ? (
          <table data-testid="evaluators">
            <thead>
              <tr>
                <th>Evaluator</th>
                <th>Active version</th>
                <th>Model</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {view.evaluators.map((e) => (
                <tr>
                  <td>
                    <a href={`/ui/evaluators/${encodeURIComponent(e.name)}`}>
                      <strong>{e.name}</strong>
                    </a>
                    {e.description ? <div class="small muted">{e.description}</div> : null}
                  </td>
                  <td>{e.active ? e.active.name : <span class="muted">none</span>}</td>
                  <td class="mono">{e.active?.model ?? "—"}</td>
                  <td class="small">{when(e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No evaluators yet. Create one with POST /v1/evaluators.</Empty>
        )}
      </Card>
    </>
  );
}
