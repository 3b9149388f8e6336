import { humanAgreement, positionAndLengthProbes } from "../benchmarks";
import { orderMajority, type Verdict, type Vote } from "../judging/aggregate";

// Agreement with human labels and the bias probes of a held-out evaluation (pure), reported
// next to the accuracy numbers the gate reads, like a benchmark evaluation's.

/** One (held-out item, version) unit with what the probes need. */
export interface HeldoutProbeUnit {
  itemId: string;
  label: Verdict;
  verdict: Verdict | null;
  /** Labels from people: the item's source is `human` (imported as such, or from feedback). */
  source: string;
  /** The served judgment a feedback label was given on, so a person can open it. */
  sourceJudgmentId: string | null;
  lenA: number;
  lenB: number;
  /** The judge's stored outputs (caller-frame votes per order); absent for units judged before they were kept. */
  outputs?: ReadonlyArray<{ order: "ab" | "ba"; vote: Vote }> | null;
}

/** Each judged order's majority, in the caller's frame, from the stored outputs. */
export function ordersOf(u: HeldoutProbeUnit, swap: boolean): { ab?: Verdict | null; ba?: Verdict | null } {
  if (!u.outputs || u.outputs.length === 0) return {};
  const of = (order: "ab" | "ba") => orderMajority(u.outputs!.filter((o) => o.order === order).map((o) => o.vote));
  return swap ? { ab: of("ab"), ba: of("ba") } : { ab: of("ab") };
}

/**
 * `agreement`: Cohen's kappa (95% interval), the A/B/tie confusion matrix and the disagreeing
 * items over the human-labelled units (null when there are none). `bias`: position flip rate,
 * first-position preference and length bias over every unit. Units must be the scored ones
 * (LLM failures left out), the same the accuracy is computed on.
 */
export function heldoutReport(units: readonly HeldoutProbeUnit[], opts: { swap: boolean }) {
  const human = units.filter((u) => u.source === "human");
  return {
    agreement:
      human.length > 0
        ? humanAgreement(
            human.map((u) => ({ itemId: u.itemId, label: u.label, verdict: u.verdict, judgmentId: u.sourceJudgmentId })),
            "heldout_item",
          )
        : null,
    bias: {
      ...positionAndLengthProbes(
        units.map((u) => ({ label: u.label, verdict: u.verdict, orders: ordersOf(u, opts.swap), lenA: u.lenA, lenB: u.lenB })),
        opts,
      ),
      // Held-out pairs have no RewardBench subsets.
      rewardbench_alpacaeval_length: null,
    },
  };
}
