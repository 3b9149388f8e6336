// Official benchmark scoring, agreement with humans and bias probes: pure functions.
export { benchmarkReport, officialScores, type BenchmarkReport } from "./report";
export { biasProbes, cohensKappa, humanAgreement, positionAndLengthProbes, type BiasProbes, type KappaResult, type ProbeUnit } from "./agreement";
export { REWARDBENCH_EXAMPLE_COUNTS, REWARDBENCH_SECTIONS, rewardbenchScores, alpacaLengthProbe } from "./rewardbench";
export { judgebenchCorrect, judgebenchScores, mtBenchScores, pairsScores, rmBenchScores } from "./official";
export { chosenScore, meanScore, weightedScore, type BenchUnit, type Score, type Verdict } from "./stats";
