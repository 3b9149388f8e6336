/**
 * Calibration of a judge's confidence on labelled items. Pure.
 *
 * A judgment says "verdict V with confidence c"; it is calibrated when, among judgments with
 * confidence near c, a share c is correct. Expected calibration error (ECE) with 10 equal-width
 * bins over [0, 1]: sum over bins of (items in bin / items) · |accuracy in bin − mean confidence
 * in bin|. 0 is perfect; a judge that always says 1 and is right 70% of the time scores 0.3.
 * Only items with a verdict count (no verdict has no confidence to check).
 */
export interface CalibrationBin {
  /** [lo, hi) except the last bin, which includes 1. */
  lo: number;
  hi: number;
  n: number;
  mean_confidence: number | null;
  accuracy: number | null;
}

export interface Calibration {
  n: number;
  bins_count: number;
  ece: number;
  /** Where the confidences came from: every item's source, or "mixed". null with no items. */
  source: "logprobs" | "votes" | "mixed" | null;
  reliability: CalibrationBin[];
}

export interface CalibrationPoint {
  confidence: number;
  correct: boolean;
  source?: "logprobs" | "votes" | null;
}

export function calibration(points: readonly CalibrationPoint[], bins = 10): Calibration {
  const acc = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, hi: (i + 1) / bins, n: 0, conf: 0, right: 0 }));
  const sources = new Set<string>();
  for (const p of points) {
    const c = Math.min(1, Math.max(0, p.confidence));
    const b = acc[Math.min(bins - 1, Math.floor(c * bins))]!;
    b.n += 1;
    b.conf += c;
    if (p.correct) b.right += 1;
    sources.add(p.source ?? "votes");
  }
  const n = points.length;
  let ece = 0;
  const reliability = acc.map((b): CalibrationBin => {
    if (b.n === 0) return { lo: b.lo, hi: b.hi, n: 0, mean_confidence: null, accuracy: null };
    const meanConf = b.conf / b.n;
    const accuracy = b.right / b.n;
    ece += (b.n / n) * Math.abs(accuracy - meanConf);
    return { lo: b.lo, hi: b.hi, n: b.n, mean_confidence: meanConf, accuracy };
  });
  const source = sources.size === 0 ? null : sources.size > 1 ? "mixed" : ([...sources][0] as "logprobs" | "votes");
  return { n, bins_count: bins, ece, source, reliability };
}
