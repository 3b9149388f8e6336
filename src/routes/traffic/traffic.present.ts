import type { TrafficStatRow } from "../../db/queries/training-pool";

// Pure: rows in, response bodies out (no database access).

/** Pool counts totalled by source, by category and by split. */
export function presentTrafficStats(evaluator: string, rows: TrafficStatRow[]) {
  const by = (key: (r: TrafficStatRow) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + r.n;
    return out;
  };
  return {
    evaluator,
    total: rows.reduce((s, r) => s + r.n, 0),
    by_source: by((r) => r.source),
    by_category: by((r) => r.category ?? "unclassified"),
    by_split: by((r) => r.split ?? "unassigned"),
  };
}
