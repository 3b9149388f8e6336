// Small building blocks of console pages (pure).
import type { Child } from "hono/jsx";

export function Badge(props: { value: string | null | undefined }) {
  const v = props.value ?? "—";
  return <span class={`badge ${v}`}>{v}</span>;
}

export function Empty(props: { children?: Child }) {
  return <div class="empty">{props.children}</div>;
}

export function ErrorBox(props: { children?: Child }) {
  return (
    <div class="error-box" role="alert">
      {props.children}
    </div>
  );
}

export function Flash(props: { message?: string | null }) {
  return props.message ? (
    <div class="flash" role="status">
      {props.message}
    </div>
  ) : null;
}

export function Card(props: { title?: string; children?: Child; id?: string }) {
  return (
    <section class="card" id={props.id}>
      {props.title ? <h2>{props.title}</h2> : null}
      {props.children}
    </section>
  );
}

export function Stat(props: { label: string; value: Child; testid?: string }) {
  return (
    <div class="card stat">
      <div class="v" data-testid={props.testid}>
        {props.value}
      </div>
      <div class="l">{props.label}</div>
    </div>
  );
}

/** A Chart.js chart: the config travels as JSON and /ui/assets/ui.js draws it. */
export function ChartCanvas(props: { id: string; config: unknown; label: string; height?: number }) {
  return (
    <div class="chart" data-chart-state="loading" style={props.height ? `height:${props.height}px` : undefined}>
      <canvas id={props.id} role="img" aria-label={props.label} data-chart={JSON.stringify(props.config)}></canvas>
      <div class="chart-note muted small" aria-live="polite">
        Loading chart…
      </div>
    </div>
  );
}

export function Progress(props: { done: number; total: number }) {
  const pct = props.total > 0 ? Math.min(100, (100 * props.done) / props.total) : 0;
  return (
    <div class="progress" title={`${props.done} / ${props.total}`}>
      <div style={`width:${pct.toFixed(1)}%`}></div>
    </div>
  );
}

export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`;
export const num = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toLocaleString("en-US"));
export const when = (d: Date | string | null | undefined) => {
  if (!d) return "—";
  const date = typeof d === "string" ? new Date(d) : d;
  return date.toISOString().replace("T", " ").slice(0, 19) + " UTC";
};
export const short = (id: string | null | undefined) => (id ? id.slice(0, 8) : "—");
export const fmtP = (p: number | null | undefined) =>
  p === null || p === undefined ? "—" : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
