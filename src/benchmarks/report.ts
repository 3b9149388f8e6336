import type { DatasetFormat } from "../db/schema";
import { biasProbes, humanAgreement } from "./agreement";
import { judgebenchScores, mtBenchScores, pairsScores, rmBenchScores } from "./official";
import { rewardbenchScores } from "./rewardbench";
import type { BenchUnit } from "./stats";

// Pure: one version's judged units of a dataset in, its benchmark report out.

export function officialScores(format: DatasetFormat, units: readonly BenchUnit[]) {
  switch (format) {
    case "rewardbench":
      return { format, ...rewardbenchScores(units) };
    case "judgebench":
      return { format, ...judgebenchScores(units) };
    case "mt-bench-human":
      return { format, ...mtBenchScores(units) };
    case "rm-bench":
      return { format, ...rmBenchScores(units) };
    case "pairs":
      return { format, ...pairsScores(units) };
  }
}

/**
 * The official scores, the agreement with humans (only over human-labelled units: every
 * mt-bench-human row, `pairs` rows with source "human"; null when there are none) and the bias probes.
 */
export function benchmarkReport(
  format: DatasetFormat,
  units: readonly BenchUnit[],
  opts: { swap: boolean; isHuman: (u: BenchUnit) => boolean },
) {
  const human = units.filter(opts.isHuman);
  return {
    benchmark: officialScores(format, units),
    agreement: human.length > 0 ? humanAgreement(human, "dataset_item") : null,
    bias: biasProbes(units, { swap: opts.swap, rewardbench: format === "rewardbench" }),
  };
}

export type BenchmarkReport = ReturnType<typeof benchmarkReport>;
