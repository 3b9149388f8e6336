import { describe, expect, it } from "vitest";
import { combinedDistribution, sampleDistribution, type TokenLogprob } from "../../src/judging/confidence";

/** Tokens spelling `text`, certain everywhere except the letter of the last marker. */
function tokens(text: string, probs: Record<string, number>): TokenLogprob[] {
  const at = text.lastIndexOf("[[") + 2;
  const letter = text[at]!;
  return [
    { token: text.slice(0, at), logprob: 0, top: [] },
    { token: letter, logprob: Math.log(probs[letter]!), top: Object.entries(probs).map(([token, p]) => ({ token, logprob: Math.log(p) })) },
    { token: text.slice(at + 1), logprob: 0, top: [] },
  ];
}

describe("verdict distributions from token log-probs", () => {
  const text = "Assistant A is right. [[A]]";
  it("renormalises the letters' mass at the last marker", () => {
    const d = sampleDistribution(text, "A", tokens(text, { A: 0.6, B: 0.2, C: 0.1, " A": 0.05 }))!;
    // " A" reads as A too: A = .65 / .95.
    expect(d.A).toBeCloseTo(0.65 / 0.95, 9);
    expect(d.tie).toBeCloseTo(0.1 / 0.95, 9);
  });
  it("trusts nothing when the marker does not spell the parsed vote or the tokens do not spell the text", () => {
    expect(sampleDistribution(text, "B", tokens(text, { A: 0.6, B: 0.4 }))).toBeNull();
    const shifted = tokens(text, { A: 0.6, B: 0.4 });
    shifted[0] = { token: "Assistant", logprob: 0, top: [] };
    expect(sampleDistribution(text, "A", shifted)).toBeNull();
    expect(sampleDistribution(text, "A", null)).toBeNull();
  });
  it("is null for the judgment when any valid sample lacks a distribution; invalid samples are ignored", () => {
    const d = { A: 0.8, B: 0.1, tie: 0.1 };
    expect(combinedDistribution([{ order: "ab", vote: "A", distribution: d }, { order: "ba", vote: "A", distribution: null }])).toBeNull();
    const both = combinedDistribution([
      { order: "ab", vote: "A", distribution: d },
      { order: "ab", vote: "invalid", distribution: null },
      { order: "ba", vote: "A", distribution: { A: 0.4, B: 0.5, tie: 0.1 } },
    ])!;
    expect(both.A).toBeCloseTo(0.6, 12);
  });
});
