/**
 * The judge command's running tally and its summary (pure). Counts only: no result is kept,
 * so a 100,000-line file costs the same memory as a 10-line one.
 */

export interface ResultLine {
  line: number;
  id: string | number | null;
  ok: boolean;
  verdict?: "A" | "B" | "tie";
  position_consistent?: boolean;
  swap_checked?: boolean;
  cached?: boolean;
  usage?: { prompt_tokens: number; completion_tokens: number; llm_requests: number };
  error?: { status: number; title: string; detail: string; type?: string };
  [key: string]: unknown;
}

export interface Tally {
  winsA: number;
  winsB: number;
  ties: number;
  failed: number;
  /** Judged with both orders, and of those the ones whose orders disagreed. */
  consistencyChecked: number;
  inconsistent: number;
  cached: number;
  promptTokens: number;
  completionTokens: number;
  llmRequests: number;
  /** Lines judged by an earlier run of the command (read back from --out). */
  resumed: number;
  rejected: number;
}

export const emptyTally = (): Tally => ({
  winsA: 0,
  winsB: 0,
  ties: 0,
  failed: 0,
  consistencyChecked: 0,
  inconsistent: 0,
  cached: 0,
  promptTokens: 0,
  completionTokens: 0,
  llmRequests: 0,
  resumed: 0,
  rejected: 0,
});

export function addResult(t: Tally, r: ResultLine): void {
  if (!r.ok) {
    t.failed++;
    return;
  }
  if (r.verdict === "A") t.winsA++;
  else if (r.verdict === "B") t.winsB++;
  else t.ties++;
  if (r.swap_checked !== false) {
    t.consistencyChecked++;
    if (r.position_consistent === false) t.inconsistent++;
  }
  if (r.cached) t.cached++;
  if (r.usage) {
    t.promptTokens += r.usage.prompt_tokens;
    t.completionTokens += r.usage.completion_tokens;
    t.llmRequests += r.usage.llm_requests;
  }
}

export const judged = (t: Tally) => t.winsA + t.winsB + t.ties;

export interface WinRate {
  side: "A" | "B";
  rate: number | null;
  /** 95% Wilson score interval; ties count as half a win. */
  low: number | null;
  high: number | null;
}

const Z95 = 1.959963984540054;

/** Win rate of a side, ties counting half, with a 95% Wilson score interval. */
export function winRate(t: Tally, side: "A" | "B"): WinRate {
  const n = judged(t);
  if (n === 0) return { side, rate: null, low: null, high: null };
  const p = ((side === "B" ? t.winsB : t.winsA) + t.ties / 2) / n;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (Z95 / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { side, rate: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

export interface Gate {
  side: "A" | "B";
  min: number;
}

/** `B=0.5`, `A=0.4` or a bare `0.5` (side B). */
export function parseGate(spec: string): Gate {
  const m = /^(?:([AaBb])\s*=\s*)?([0-9]*\.?[0-9]+)$/.exec(spec.trim());
  const min = m ? Number(m[2]) : NaN;
  if (!m || !(min >= 0 && min <= 1)) throw new Error(`--min-win-rate wants SIDE=RATE with RATE in [0, 1], e.g. B=0.5 (got "${spec}")`);
  return { side: (m[1] ?? "B").toUpperCase() as "A" | "B", min };
}

export interface GateOutcome extends Gate {
  rate: number | null;
  passed: boolean;
}

/** Fails when nothing was judged: a CI check that measured nothing must not pass. */
export function checkGate(t: Tally, gate: Gate): GateOutcome {
  const { rate } = winRate(t, gate.side);
  return { ...gate, rate, passed: rate !== null && rate >= gate.min };
}

export interface Summary {
  total: number;
  judged: number;
  wins_a: number;
  wins_b: number;
  ties: number;
  failed: number;
  rejected: number;
  resumed: number;
  cached: number;
  win_rate_b: number | null;
  win_rate_b_ci95: [number, number] | null;
  win_rate_a: number | null;
  position_inconsistent_share: number | null;
  tokens: { prompt: number; completion: number; total: number };
  llm_requests: number;
  gate?: GateOutcome;
}

export function summarize(t: Tally, gate?: Gate): Summary {
  const b = winRate(t, "B");
  const a = winRate(t, "A");
  return {
    total: judged(t) + t.failed + t.rejected,
    judged: judged(t),
    wins_a: t.winsA,
    wins_b: t.winsB,
    ties: t.ties,
    failed: t.failed,
    rejected: t.rejected,
    resumed: t.resumed,
    cached: t.cached,
    win_rate_b: b.rate,
    win_rate_b_ci95: b.low === null || b.high === null ? null : [b.low, b.high],
    win_rate_a: a.rate,
    position_inconsistent_share: t.consistencyChecked ? t.inconsistent / t.consistencyChecked : null,
    tokens: { prompt: t.promptTokens, completion: t.completionTokens, total: t.promptTokens + t.completionTokens },
    llm_requests: t.llmRequests,
    ...(gate ? { gate: checkGate(t, gate) } : {}),
  };
}

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);
const num = (n: number) => n.toLocaleString("en-US");

/** The human summary table. */
export function formatSummary(s: Summary): string {
  const rows: Array<[string, string]> = [
    ["wins A", num(s.wins_a)],
    ["wins B", num(s.wins_b)],
    ["ties", num(s.ties)],
    ["failed", num(s.failed)],
    ["rejected lines", num(s.rejected)],
    [
      "win rate B (ties ½)",
      s.win_rate_b === null ? "n/a" : `${pct(s.win_rate_b)}  (95% CI ${pct(s.win_rate_b_ci95![0])}–${pct(s.win_rate_b_ci95![1])})`,
    ],
    ["position-inconsistent", pct(s.position_inconsistent_share)],
    ["tokens", `${num(s.tokens.total)} (prompt ${num(s.tokens.prompt)}, completion ${num(s.tokens.completion)})`],
    ["cached", num(s.cached)],
  ];
  if (s.resumed) rows.push(["from earlier run", num(s.resumed)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  if (s.gate) {
    const g = s.gate;
    lines.push(
      g.passed
        ? `  check passed: win rate of ${g.side} ${pct(g.rate)} ≥ ${pct(g.min)}`
        : `  CHECK FAILED: win rate of ${g.side} ${pct(g.rate)} < ${pct(g.min)}`,
    );
  }
  return `${num(s.judged)} of ${num(s.total)} pairs judged\n${lines.join("\n")}\n`;
}
