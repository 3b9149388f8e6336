/**
 * The statistics the promotion gate rests on. Pure functions, no dependencies, so they can be
 * property-tested and reused by the soundness benchmark.
 */

/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion. Unlike the normal ("Wald") interval it stays
 * inside [0, 1] and keeps close to nominal coverage for small n and for accuracies near 0 or 1,
 * which is exactly where judge accuracies on small held-out sets live. n = 0 gives [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z: number = Z95): [number, number] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in [0, n], got ${successes} of ${n}`);
  }
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp the rounding noise at the ends (successes = 0 or n give exactly 0 or 1 analytically).
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * P(X >= k) for X ~ Binomial(n, 1/2), exactly (up to floating point), in log space so it stays
 * accurate for n in the tens of thousands where 2^-n underflows.
 */
export function binomialHalfUpperTail(k: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k)) throw new RangeError(`k must be an integer, got ${k}`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  // log C(n, k) built incrementally from log C(n, 0) = 0.
  let logC = 0;
  for (let i = 0; i < k; i++) logC += Math.log(n - i) - Math.log(i + 1);
  const log2n = n * Math.LN2;
  let acc = -Infinity;
  for (let i = k; i <= n; i++) {
    acc = logSumExp(acc, logC - log2n);
    if (i < n) logC += Math.log(n - i) - Math.log(i + 1);
  }
  return Math.min(1, Math.exp(acc));
}

/**
 * Exact one-sided McNemar test for paired binary outcomes.
 *
 * `b` = items the candidate got right and the baseline wrong, `c` = the reverse. Under H0
 * (equal accuracy) each of the b + c discordant items is equally likely to fall either way, so
 * b ~ Binomial(b + c, 1/2) and the p-value for "candidate better" is P(X >= b). Concordant items
 * carry no information about the difference and do not enter. No discordant pair → p = 1.
 */
export function mcnemarExactOneSided(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`b and c must be non-negative integers, got ${b}, ${c}`);
  }
  return binomialHalfUpperTail(b, b + c);
}
