import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binomialHalfUpperTail, mcnemarExactOneSided, wilsonInterval } from "../../src/evaluation/statistics";

/** Exact P(X >= k), X ~ Bin(n, 1/2), with BigInt binomial coefficients (small n only). */
function exactTail(k: number, n: number): number {
  let c = 1n;
  let sum = 0n;
  for (let i = 0; i <= n; i++) {
    if (i >= k) sum += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  return Number(sum) / 2 ** n;
}

describe("exact one-sided McNemar", () => {
  it("matches hand-computed binomial tails", () => {
    expect(mcnemarExactOneSided(10, 0)).toBeCloseTo(1 / 1024, 15);
    expect(mcnemarExactOneSided(5, 5)).toBeCloseTo(638 / 1024, 15);
    expect(mcnemarExactOneSided(7, 3)).toBeCloseTo(176 / 1024, 15);
    expect(mcnemarExactOneSided(0, 5)).toBe(1);
    expect(mcnemarExactOneSided(0, 0)).toBe(1);
    expect(mcnemarExactOneSided(1, 0)).toBeCloseTo(0.5, 15);
  });

  it("matches reference values for larger counts", () => {
    // scipy.stats.binom.sf(59, 100, 0.5)
    expect(mcnemarExactOneSided(60, 40)).toBeCloseTo(0.028443966820490392, 12);
    // 40 of 40 discordant pairs one way
    expect(mcnemarExactOneSided(40, 0)).toBeCloseTo(2 ** -40, 25);
  });

  it("stays finite and accurate where 2^-n underflows", () => {
    const p = binomialHalfUpperTail(1500, 3000); // about one half, plus the middle term
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThan(0.52);
    expect(binomialHalfUpperTail(0, 5000)).toBe(1);
    expect(binomialHalfUpperTail(5001, 5000)).toBe(0);
    expect(binomialHalfUpperTail(3000, 5000)).toBeGreaterThan(0);
  });

  it("agrees with exact rational arithmetic on random small inputs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (b, c) => {
        const p = mcnemarExactOneSided(b, c);
        expect(Math.abs(p - exactTail(b, b + c))).toBeLessThan(1e-12);
      }),
    );
  });

  it("is a probability, falls as the candidate wins more, and is symmetric in the way it should be", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (b, c) => {
        const p = mcnemarExactOneSided(b, c);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        // One more win for the candidate never raises p; one more win for the baseline never lowers it.
        expect(mcnemarExactOneSided(b + 1, c)).toBeLessThanOrEqual(p + 1e-12);
        expect(mcnemarExactOneSided(b, c + 1)).toBeGreaterThanOrEqual(p - 1e-12);
        // P(X >= b) + P(X >= c + 1) = 1 for X ~ Bin(b + c, 1/2), by the symmetry of the fair coin.
        expect(p + binomialHalfUpperTail(c + 1, b + c)).toBeCloseTo(1, 9);
        // Equal counts: the candidate is never significantly better.
        expect(mcnemarExactOneSided(b, b)).toBeGreaterThanOrEqual(0.5);
      }),
    );
  });

  it("rejects impossible counts", () => {
    expect(() => mcnemarExactOneSided(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExactOneSided(1.5, 2)).toThrow(RangeError);
  });
});

describe("Wilson score interval", () => {
  it("matches published values", () => {
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    const [lo2, hi2] = wilsonInterval(0, 10);
    expect(lo2).toBe(0);
    expect(hi2).toBeCloseTo(0.2775, 4);
    const [lo3, hi3] = wilsonInterval(50, 100);
    expect(lo3).toBeCloseTo(0.4038, 4);
    expect(hi3).toBeCloseTo(0.5962, 4);
  });

  it("is [0, 1] with no data", () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it("contains the point estimate, stays in [0, 1], narrows with n and mirrors around one half", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, frac) => {
        const k = Math.round(frac * n);
        const [lo, hi] = wilsonInterval(k, n);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(k / n + 1e-12);
        expect(hi).toBeGreaterThanOrEqual(k / n - 1e-12);
        const [mlo, mhi] = wilsonInterval(n - k, n);
        expect(mlo).toBeCloseTo(1 - hi, 10);
        expect(mhi).toBeCloseTo(1 - lo, 10);
        const [wlo, whi] = wilsonInterval(4 * k, 4 * n);
        expect(whi - wlo).toBeLessThan(hi - lo + 1e-12);
      }),
    );
  });

  it("covers the true proportion about 95% of the time", () => {
    // Deterministic simulation: p = 0.8, n = 200, 4000 draws from a seeded generator.
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let covered = 0;
    const draws = 4000;
    for (let d = 0; d < draws; d++) {
      let k = 0;
      for (let i = 0; i < 200; i++) if (rand() < 0.8) k++;
      const [lo, hi] = wilsonInterval(k, 200);
      if (lo <= 0.8 && 0.8 <= hi) covered++;
    }
    expect(covered / draws).toBeGreaterThan(0.93);
    expect(covered / draws).toBeLessThan(0.97);
  });
});
