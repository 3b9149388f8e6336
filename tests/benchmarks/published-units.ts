import type { BenchUnit, Verdict } from "../../src/benchmarks";
import { mapRecord, type DatasetItemInput } from "../../src/datasets/formats";
import type { DatasetFormat } from "../../src/db/schema";

// Rows in a benchmark's public layout, through the real import mapping (mapRecord: subset, label,
// cell, judge), each resulting pair given the judged verdicts a published row needs.

export interface Judged {
  ab?: Verdict | null;
  ba?: Verdict | null;
  /** The aggregated verdict; defaults to the orders' common verdict, a tie when they disagree. */
  verdict?: Verdict | null;
}

function aggregate(j: Judged): Verdict | null {
  if (j.verdict !== undefined) return j.verdict;
  const votes = [j.ab, j.ba].filter((v): v is Verdict => v !== undefined && v !== null);
  if (votes.length === 0) return null;
  return votes.every((v) => v === votes[0]) ? votes[0]! : "tie";
}

export function judgedUnits(format: DatasetFormat, rows: readonly unknown[], judge: (item: DatasetItemInput, index: number) => Judged): BenchUnit[] {
  const items = rows.flatMap((r) => mapRecord(format, r));
  return items.map((item, i) => {
    const j = judge(item, i);
    const orders: BenchUnit["orders"] = {};
    if (j.ab !== undefined) orders.ab = j.ab;
    if (j.ba !== undefined) orders.ba = j.ba;
    return {
      itemId: `item-${i}`,
      pairHash: item.pairHash,
      subset: item.subset,
      label: item.label,
      meta: item.meta,
      verdict: aggregate(j),
      orders,
      lenA: item.responseA.length,
      lenB: item.responseB.length,
    };
  });
}

/** The same verdict pattern list cycled: pattern k of n for the k-th pair of a group. */
export const cycle = <T>(patterns: readonly T[], k: number): T => patterns[k % patterns.length]!;
