import { Z95 } from "../evaluation/statistics";
import { alpacaLengthProbe } from "./rewardbench";
import { meanScore, round, type BenchUnit, type Score, type Verdict } from "./stats";

// Agreement with human labels (Cohen's kappa) and the bias probes reported with every evaluation (pure).

const CLASSES: readonly Verdict[] = ["A", "B", "tie"];

export interface KappaResult {
  /** Rated items: a human label and a judge verdict (items without a verdict are left out). */
  n: number;
  no_verdict: number;
  observed_agreement: number;
  expected_agreement: number;
  /** null when chance agreement is 1 (one class only): kappa is undefined then. */
  kappa: number | null;
  ci95: [number, number] | null;
  /** Rows: human label A, B, tie; columns: judge verdict A, B, tie. */
  confusion: { labels: readonly Verdict[]; matrix: number[][] };
}

/**
 * Cohen's kappa over the 3×3 table of (human label, judge verdict), with the large-sample
 * standard error of Fleiss, Cohen & Everitt (1969) for its 95% interval.
 */
export function cohensKappa(pairs: ReadonlyArray<{ label: Verdict; verdict: Verdict | null }>): KappaResult {
  const m = CLASSES.map(() => CLASSES.map(() => 0));
  let noVerdict = 0;
  for (const p of pairs) {
    if (p.verdict === null) {
      noVerdict += 1;
      continue;
    }
    m[CLASSES.indexOf(p.label)]![CLASSES.indexOf(p.verdict)]! += 1;
  }
  const n = m.flat().reduce((a, b) => a + b, 0);
  const confusion = { labels: CLASSES, matrix: m };
  if (n === 0) return { n, no_verdict: noVerdict, observed_agreement: 0, expected_agreement: 0, kappa: null, ci95: null, confusion };
  const p = m.map((row) => row.map((x) => x / n));
  const rows = p.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = CLASSES.map((_, j) => p.reduce((s, r) => s + r[j]!, 0));
  const po = CLASSES.reduce((s, _, i) => s + p[i]![i]!, 0);
  const pe = CLASSES.reduce((s, _, i) => s + rows[i]! * cols[i]!, 0);
  if (pe >= 1 - 1e-12) return { n, no_verdict: noVerdict, observed_agreement: po, expected_agreement: pe, kappa: null, ci95: null, confusion };
  const k = (po - pe) / (1 - pe);
  let a = 0;
  let b = 0;
  for (let i = 0; i < 3; i++) {
    a += p[i]![i]! * (1 - (rows[i]! + cols[i]!) * (1 - k)) ** 2;
    for (let j = 0; j < 3; j++) if (i !== j) b += p[i]![j]! * (cols[i]! + rows[j]!) ** 2;
  }
  const variance = Math.max(0, (a + (1 - k) ** 2 * b - (k - pe * (1 - k)) ** 2) / (n * (1 - pe) ** 2));
  const se = Math.sqrt(variance);
  return {
    n,
    no_verdict: noVerdict,
    observed_agreement: po,
    expected_agreement: pe,
    kappa: k,
    ci95: [Math.max(-1, k - Z95 * se), Math.min(1, k + Z95 * se)],
    confusion,
  };
}

export const MAX_DISAGREEMENTS_LISTED = 200;

/** Kappa plus the items where judge and human disagree (ids a person can open). */
export function humanAgreement(
  units: ReadonlyArray<{ itemId: string; label: Verdict; verdict: Verdict | null; judgmentId?: string | null }>,
  idKind: "dataset_item" | "heldout_item",
) {
  const disagreeing = units.filter((u) => u.verdict !== null && u.verdict !== u.label);
  return {
    ...cohensKappa(units),
    disagreements: {
      total: disagreeing.length,
      id_kind: idKind,
      items: disagreeing.slice(0, MAX_DISAGREEMENTS_LISTED).map((u) => ({
        id: u.itemId,
        label: u.label,
        verdict: u.verdict,
        ...(u.judgmentId ? { judgment_id: u.judgmentId } : {}),
      })),
    },
  };
}

export interface BiasProbes {
  /** Share of pairs judged in both orders whose two order verdicts differ. null without swap. */
  position_flip_rate: Score | null;
  /** Share of decisive per-order verdicts (A or B) that chose the answer shown first; 0.5 is unbiased. */
  first_position_preference: Score | null;
  length: {
    /** Accuracy on labelled pairs where the better answer is the longer one. */
    accuracy_when_better_is_longer: Score;
    /** Accuracy on labelled pairs where the better answer is the shorter one. */
    accuracy_when_better_is_shorter: Score;
    /** Share of decisive verdicts that picked the longer answer (pairs of unequal length). */
    longer_win_rate: Score;
  };
  /** RewardBench data only: official score on alpacaeval-length vs the other Chat subsets. */
  rewardbench_alpacaeval_length: ReturnType<typeof alpacaLengthProbe>;
}

/** What the position and length probes read of a judged pair (held-out units have no subset). */
export type ProbeUnit = Pick<BenchUnit, "label" | "verdict" | "orders" | "lenA" | "lenB">;

/** Position flip rate, first-position preference and length bias of one version's judged pairs. */
export function positionAndLengthProbes(units: readonly ProbeUnit[], opts: { swap: boolean }): Omit<BiasProbes, "rewardbench_alpacaeval_length"> {
  const both = units.filter((u) => u.orders.ab != null && u.orders.ba != null);
  const firsts: number[] = [];
  for (const u of units) {
    // Caller frame: in order ab the first answer shown is A, in order ba it is B.
    if (u.orders.ab === "A" || u.orders.ab === "B") firsts.push(u.orders.ab === "A" ? 1 : 0);
    if (u.orders.ba === "A" || u.orders.ba === "B") firsts.push(u.orders.ba === "B" ? 1 : 0);
  }
  const labelled = units.filter((u) => u.label !== "tie" && u.lenA !== u.lenB);
  const betterLonger = (u: ProbeUnit) => (u.label === "A" ? u.lenA > u.lenB : u.lenB > u.lenA);
  const correct = (u: ProbeUnit) => (u.verdict === u.label ? 1 : 0);
  const decisive = units.filter((u) => (u.verdict === "A" || u.verdict === "B") && u.lenA !== u.lenB);
  return {
    position_flip_rate: opts.swap ? round(meanScore(both.map((u) => (u.orders.ab !== u.orders.ba ? 1 : 0)))) : null,
    first_position_preference: firsts.length > 0 ? round(meanScore(firsts)) : null,
    length: {
      accuracy_when_better_is_longer: round(meanScore(labelled.filter(betterLonger).map(correct))),
      accuracy_when_better_is_shorter: round(meanScore(labelled.filter((u) => !betterLonger(u)).map(correct))),
      longer_win_rate: round(meanScore(decisive.map((u) => ((u.verdict === "A") === u.lenA > u.lenB ? 1 : 0)))),
    },
  };
}

export function biasProbes(units: readonly BenchUnit[], opts: { swap: boolean; rewardbench: boolean }): BiasProbes {
  return {
    ...positionAndLengthProbes(units, opts),
    rewardbench_alpacaeval_length: opts.rewardbench ? alpacaLengthProbe(units) : null,
  };
}
