// The held-out set and benchmark datasets: counts per source, category and label, a JSONL upload,
// the datasets with their subsets, a dataset upload, the newest items (pure).
import type { HeldoutView } from "../../dashboard";
import { Badge, Card, ChartCanvas, Empty, num, short, Stat, when } from "../components";
import { CsrfField, type PageCtx } from "../layout";
import { DATASET_FORMATS } from "../../datasets";
import { UNCATEGORIZED as NO_CATEGORY } from "../../evaluation";

const SOURCE_COLORS: Record<string, string> = { human: "#137333", import: "#2457c5", synthetic: "#a15c00" };

export function heldoutChart(view: HeldoutView) {
  const categories = [...new Set(view.counts.map((c) => c.category ?? NO_CATEGORY))].sort();
  const sources = [...new Set(view.counts.map((c) => c.source))].sort();
  return {
    type: "bar",
    data: {
      labels: categories,
      datasets: sources.map((s) => ({
        label: s,
        stack: "s",
        backgroundColor: SOURCE_COLORS[s] ?? "#6b7280",
        data: categories.map((cat) => view.counts.filter((c) => c.source === s && (c.category ?? NO_CATEGORY) === cat).reduce((a, c) => a + c.n, 0)),
      })),
    },
    options: { plugins: { legend: { position: "bottom" } }, scales: { y: { beginAtZero: true, title: { display: true, text: "items" } } } },
  };
}

export function HeldoutPage(props: {
  ctx: PageCtx;
  view: HeldoutView;
  canEvaluate: boolean;
  result?: { inserted: number; duplicates: number; received: number } | null;
}) {
  const { view } = props;
  const total = view.counts.reduce((a, c) => a + c.n, 0);
  const bySource = (s: string) => view.counts.filter((c) => c.source === s).reduce((a, c) => a + c.n, 0);
  const byLabel = (l: string) => view.counts.filter((c) => c.label === l).reduce((a, c) => a + c.n, 0);
  const categories = [...new Set(view.counts.map((c) => c.category ?? NO_CATEGORY))].sort();
  const sources = [...new Set(view.counts.map((c) => c.source))].sort();
  return (
    <>
      <form method="get" action="/ui/heldout" class="filters">
        <label>
          Evaluator
          <select name="evaluator">
            {view.evaluators.map((e) => (
              <option value={e.name} selected={e.name === view.evaluator.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      <div class="grid">
        <Stat label="held-out items" value={num(total)} testid="heldout-total" />
        <Stat label="human labels" value={num(bySource("human"))} testid="heldout-human" />
        <Stat label="imported" value={num(bySource("import"))} />
        <Stat label="synthetic (training runs)" value={num(bySource("synthetic"))} />
        <Stat label="labels A / B / tie" value={`${num(byLabel("A"))} / ${num(byLabel("B"))} / ${num(byLabel("tie"))}`} />
      </div>
      {total ? (
        <div class="grid two">
          <Card title="Items per category and source">
            <ChartCanvas id="heldout-chart" label="held-out items per category and source" config={heldoutChart(view)} />
          </Card>
          <Card title="Counts">
            <table data-testid="heldout-counts">
              <thead>
                <tr>
                  <th>Category</th>
                  {sources.map((s) => (
                    <th class="num">{s}</th>
                  ))}
                  <th class="num">total</th>
                </tr>
              </thead>
              <tbody>
                {categories.map((cat) => {
                  const of = (s: string) => view.counts.filter((c) => c.source === s && (c.category ?? NO_CATEGORY) === cat).reduce((a, c) => a + c.n, 0);
                  return (
                    <tr>
                      <td>{cat}</td>
                      {sources.map((s) => (
                        <td class="num">{num(of(s))}</td>
                      ))}
                      <td class="num">{num(sources.reduce((a, s) => a + of(s), 0))}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Card>
        </div>
      ) : (
        <Card>
          <Empty>The held-out set is empty. Upload labelled pairs below, label judgments, or let a training run build synthetic ones.</Empty>
        </Card>
      )}
      <Card title="Upload labelled pairs (JSONL)">
        {props.result ? (
          <div class="flash" data-testid="upload-result">
            Imported {props.result.inserted} of {props.result.received} pairs ({props.result.duplicates} already in the set).
          </div>
        ) : null}
        <p class="small muted">
          One pair a line: {'{"instruction": "…", "response_a": "…", "response_b": "…", "label": "A", "source": "human", "category": "coding"}'}. Every line is
          checked first: one bad line imports nothing.
        </p>
        <form method="post" action={`/ui/heldout/upload?evaluator=${encodeURIComponent(view.evaluator.name)}`} enctype="multipart/form-data" class="inline" data-testid="upload-form">
          <CsrfField ctx={props.ctx} />
          <input type="file" name="file" accept=".jsonl,.ndjson,application/jsonl,application/x-ndjson,text/plain" required />
          <button type="submit" data-busy="Uploading…">
            Upload
          </button>
        </form>
      </Card>
      <Card title="Benchmark datasets">
        {view.datasets.length ? (
          <table data-testid="datasets">
            <thead>
              <tr>
                <th>Dataset</th>
                <th>Format</th>
                <th class="num">Items</th>
                <th>Subsets</th>
                <th>Imported</th>
                {props.canEvaluate ? <th>Evaluate a version on it</th> : null}
              </tr>
            </thead>
            <tbody>
              {view.datasets.map((d) => (
                <tr>
                  <td>
                    <strong>{d.name}</strong> {d.status === "ready" ? null : <Badge value={d.status} />}
                  </td>
                  <td>{d.format}</td>
                  <td class="num">{num(d.itemCount)}</td>
                  <td class="small">
                    {Object.entries(d.subsets)
                      .map(([k, n]) => `${k} ${n}`)
                      .join(" · ")}
                  </td>
                  <td class="small">{when(d.createdAt)}</td>
                  {props.canEvaluate ? (
                    <td>
                      <form method="post" action="/ui/evaluations" class="inline">
                        <CsrfField ctx={props.ctx} />
                        <input type="hidden" name="evaluator" value={view.evaluator.name} />
                        <input type="hidden" name="dataset" value={d.name} />
                        <select name="version">
                          {[...view.versions]
                            .sort((a, b) => b.number - a.number)
                            .map((v) => (
                              <option value={v.name}>
                                {v.name} ({v.status})
                              </option>
                            ))}
                        </select>
                        <input type="number" name="limit" min="1" placeholder="all items" style="width:90px" />
                        <button type="submit" class="secondary" data-busy="Starting…">
                          Evaluate
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No benchmark datasets yet. Import RewardBench, JudgeBench, MT-Bench human judgments, RM-Bench or your own pairs below.</Empty>
        )}
        <h3>Import a dataset</h3>
        <p class="small muted">
          The file as published (JSONL, JSON or Parquet from the Hugging Face hub), with the benchmark's own field names. A dataset cannot be changed once imported:
          re-import under a new name. A bad row imports nothing and is named in the error. Large files: use the API (POST /v1/datasets streams) or{" "}
          <span class="mono">selfjudge datasets import</span>.
        </p>
        <form method="post" action="/ui/datasets/upload" enctype="multipart/form-data" class="inline" data-testid="dataset-upload-form">
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="evaluator" value={view.evaluator.name} />
          <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,99}" maxlength={100} placeholder="name, e.g. rewardbench" size={22} aria-label="dataset name" />
          <select name="format" aria-label="format" required>
            {DATASET_FORMATS.map((f) => (
              <option value={f}>{f}</option>
            ))}
          </select>
          <input type="file" name="file" accept=".jsonl,.ndjson,.json,.parquet" required aria-label="dataset file" />
          <button type="submit" data-busy="Importing…">
            Import dataset
          </button>
        </form>
      </Card>
      <Card title="Newest items">
        {view.recent.length ? (
          <table>
            <thead>
              <tr>
                <th>Added</th>
                <th>Instruction</th>
                <th>Label</th>
                <th>Source</th>
                <th>Category</th>
              </tr>
            </thead>
            <tbody>
              {view.recent.map((h) => (
                <tr>
                  <td class="small">{when(h.createdAt)}</td>
                  <td>
                    {h.instruction.slice(0, 140)}
                    {h.judgmentId ? (
                      <div class="small">
                        <a href={`/ui/judgments/${h.judgmentId}`}>from judgment {short(h.judgmentId)}</a>
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <strong>{h.label}</strong>
                  </td>
                  <td>
                    <Badge value={h.source} />
                  </td>
                  <td>{h.category ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No items yet.</Empty>
        )}
      </Card>
    </>
  );
}
