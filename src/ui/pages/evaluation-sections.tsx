// The optional sections of an evaluation result (pure): agreement with human labels as a kappa,
// a confusion matrix and the disagreeing items; bias probes as a table with what each number
// means; anything else (benchmark scores, calibration…) as nested tables of rates with intervals.
import type { BiasProbes, humanAgreement } from "../../benchmarks/agreement";
import type { Score } from "../../benchmarks/stats";
import { Card, num, pct } from "../components";

type Rec = Record<string, unknown>;
const isObj = (v: unknown): v is Rec => Boolean(v) && typeof v === "object" && !Array.isArray(v);
const isScore = (v: unknown): v is Score => isObj(v) && "score" in v && "n" in v;

function fmtValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? num(v) : Math.abs(v) <= 1 ? pct(v) : v.toFixed(3);
  if (v === null || v === undefined) return "—";
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** A rate with its interval and n, on one line. */
function Rate(props: { s: Score | null | undefined }) {
  const s = props.s;
  if (!s) return <span class="muted">—</span>;
  // No items: there is no rate, and a "0.0%" would read as the worst possible one.
  if (s.n === 0) return <span class="muted">— (no items)</span>;
  return (
    <span>
      <strong>{s.score === null ? "—" : pct(s.score)}</strong>{" "}
      <span class="small muted">
        {s.ci95 ? `[${pct(s.ci95[0])}, ${pct(s.ci95[1])}] ` : ""}n = {num(s.n)}
      </span>
    </span>
  );
}

/** Any nested result section as nested tables. */
function Section(props: { value: unknown; depth: number }) {
  const v = props.value;
  if (isScore(v)) return <Rate s={v} />;
  if (!isObj(v) || props.depth > 3) return <span class="mono">{fmtValue(v)}</span>;
  return (
    <table>
      <tbody>
        {Object.entries(v).map(([k, x]) => (
          <tr>
            <td style="width:220px">{k.replace(/_/g, " ")}</td>
            <td>
              <Section value={x} depth={props.depth + 1} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** As the evaluation stores it (src/benchmarks/agreement.ts). */
type Agreement = ReturnType<typeof humanAgreement>;

function AgreementView(props: { a: Agreement }) {
  const { a } = props;
  const d = a.disagreements;
  return (
    <>
      <dl class="kv">
        <dt>Cohen's kappa</dt>
        <dd>
          <strong>{a.kappa === null ? "undefined (one class only)" : a.kappa.toFixed(3)}</strong>{" "}
          {a.ci95 ? <span class="small muted">[{a.ci95[0].toFixed(3)}, {a.ci95[1].toFixed(3)}] 95%</span> : null}
        </dd>
        <dt>Agreement</dt>
        <dd>
          {pct(a.observed_agreement)} <span class="muted">(chance: {pct(a.expected_agreement)})</span>
        </dd>
        <dt>Items</dt>
        <dd>
          {num(a.n)} with a verdict{a.no_verdict ? <span class="muted">, {num(a.no_verdict)} without</span> : null}
        </dd>
      </dl>
      <h3>Confusion (rows: human label, columns: judge verdict)</h3>
      <table data-testid="confusion-matrix" style="max-width:360px">
        <thead>
          <tr>
            <th></th>
            {a.confusion.labels.map((l) => (
              <th class="num">{l}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {a.confusion.matrix.map((row, i) => (
            <tr>
              <th>{a.confusion.labels[i]}</th>
              {row.map((x, j) => (
                <td class="num" style={i === j ? "font-weight:650" : undefined}>
                  {num(x)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {d && d.total > 0 ? (
        <>
          <h3>
            Disagreements: {num(d.total)}
            {d.items.length < d.total ? <span class="muted small"> (first {d.items.length} listed)</span> : null}
          </h3>
          <table data-testid="disagreements">
            <thead>
              <tr>
                <th>Item</th>
                <th>Human</th>
                <th>Judge</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((x) => (
                <tr>
                  <td class="mono">{x.judgment_id ? <a href={`/ui/judgments/${x.judgment_id}`}>{x.judgment_id.slice(0, 8)}</a> : `${d.id_kind} ${x.id.slice(0, 8)}`}</td>
                  <td>{x.label}</td>
                  <td>{x.verdict ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

/** Held-out results carry no RewardBench probe; benchmark results do. */
type Bias = Omit<BiasProbes, "rewardbench_alpacaeval_length"> & Partial<Pick<BiasProbes, "rewardbench_alpacaeval_length">>;

function BiasView(props: { b: Bias }) {
  const { b } = props;
  const rows: Array<[string, Score | null | undefined, string]> = [
    ["Position flip rate", b.position_flip_rate, "pairs whose two answer orders got different verdicts; 0 is fully consistent"],
    ["First-position preference", b.first_position_preference, "decisive verdicts that chose the answer shown first; 50% is unbiased"],
    ["Accuracy, better answer longer", b.length?.accuracy_when_better_is_longer, "labelled pairs where the right answer is the longer one"],
    ["Accuracy, better answer shorter", b.length?.accuracy_when_better_is_shorter, "a large gap to the line above is a length bias"],
    ["Longer answer's win rate", b.length?.longer_win_rate, "decisive verdicts that picked the longer answer"],
  ];
  const alpaca = b.rewardbench_alpacaeval_length;
  if (alpaca) {
    rows.push(["RewardBench alpacaeval-length", alpaca.alpacaeval_length, "Chat pairs where the rejected answer is longer"]);
    rows.push(["RewardBench other Chat subsets", alpaca.other_chat, `gap ${(alpaca.gap * 100).toFixed(1)} points`]);
  }
  return (
    <table data-testid="bias-probes">
      <tbody>
        {rows.map(([label, s, what]) => (
          <tr>
            {/* What the number means goes under its name: a third column was squeezed to one word a
                line when two versions' tables stand side by side. */}
            <td>
              {label}
              <div class="small muted">{what}</div>
            </td>
            <td style="width:45%">{s === null ? <span class="muted">— (needs both orders)</span> : <Rate s={s} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SectionBody(props: { name: string; value: unknown }) {
  const v = props.value;
  if (props.name === "agreement" && isObj(v) && "confusion" in v) return <AgreementView a={v as unknown as Agreement} />;
  if (props.name === "bias" && isObj(v) && "first_position_preference" in v) return <BiasView b={v as unknown as Bias} />;
  return <Section value={v} depth={0} />;
}

const TITLES: Record<string, string> = { benchmark: "Benchmark scores (official rules)", agreement: "Agreement with human labels", bias: "Bias probes" };
const CORE = new Set(["n", "excluded_items", "candidate", "baseline", "comparison", "decision", "applied", "dataset", "baseline_report"]);

/** Sections a result may carry beyond the core metrics (benchmark scores, human agreement, bias probes). */
export function ExtraSections(props: { result: Rec & { dataset?: { name: string } }; names: [string, string] }) {
  const order = (k: string) => ["benchmark", "agreement", "bias"].indexOf(k) + 1 || 99;
  const extra = Object.entries(props.result)
    .filter(([k, v]) => !CORE.has(k) && isObj(v))
    .sort(([a], [b]) => order(a) - order(b));
  const base = props.result.baseline_report as Rec | null | undefined;
  return (
    <>
      {extra.map(([k, v]) => (
        <Card title={`${TITLES[k] ?? k.replace(/_/g, " ")}${props.result.dataset ? ` · ${props.result.dataset.name}` : ""}`}>
          <div class={base && base[k] ? "grid two" : ""} data-testid={`section-${k}`}>
            <div>
              {base && base[k] ? <h3>{props.names[0]}</h3> : null}
              <SectionBody name={k} value={v} />
            </div>
            {base && base[k] ? (
              <div>
                <h3>{props.names[1]}</h3>
                <SectionBody name={k} value={base[k]} />
              </div>
            ) : null}
          </div>
        </Card>
      ))}
    </>
  );
}
