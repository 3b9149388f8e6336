import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseVerdict } from "../../src/judging/parse";
import { neutralizeDelimiters } from "../../src/judging/prompt";
import { HAS_FIXTURE, loadMtBenchPairs, SKIP_REASON } from "./mt-bench-fixture";

/**
 * Expected vote of every fixture judgment in the JUDGE'S OWN frame, written down after reading all
 * 150 texts: two letters per question, g1 then g2. C = tie, X = invalid ($ERROR$).
 * Every non-error text ends its reasoning with exactly one marker (sometimes followed by "." or
 * "for a tie…"); none restates the format with markers, so FastChat's first-marker reading agrees
 * with ours on all 150. That is why FASTCHAT_MISREADS is empty; restatements are covered by the
 * synthetic cases and properties further down.
 */
const EXPECTED: Record<number, string> = {
  81: "AA", 82: "AA", 83: "AA", 84: "AA", 85: "AA", 86: "AA", 87: "AC", 88: "BA", 89: "BA", 90: "AB",
  91: "AB", 92: "AA", 93: "AA", 94: "AB", 95: "AB", 96: "BA", 97: "AB", 98: "BA", 99: "BA", 100: "BA",
  101: "CC", 102: "AB", 103: "BA", 104: "CA", 105: "AB", 106: "CC", 107: "AC", 108: "CC", 109: "AA",
  110: "BA", 111: "AB", 112: "CC", 113: "CC", 114: "AB", 115: "CC", 116: "CC", 117: "CA", 118: "AB",
  119: "BC", 120: "BA", 121: "AB", 122: "AA", 123: "AC", 124: "AX", 125: "XX",
  131: "CC", 132: "AB", 133: "AB", 134: "BA", 135: "AB", 136: "AA", 137: "AB", 138: "AC", 139: "BB",
  140: "BB", 141: "BA", 142: "AB", 143: "BA", 144: "AB", 145: "BA", 146: "AA", 147: "BA", 148: "AA",
  149: "AA", 150: "BA", 151: "AB", 152: "BA", 153: "AC", 154: "AA", 155: "CA", 156: "AA", 157: "BA",
  158: "BA", 159: "BA", 160: "BA",
};

/** question_id → reason, for judgments where FastChat's first-marker reading is wrong. None found. */
const FASTCHAT_MISREADS: Record<string, string> = {};

const letterToVote = { A: "A", B: "B", C: "tie", X: "invalid" } as const;

/** FastChat's winner, converted back to the judge's frame for judgment g ("g1": model_1 shown as A). */
function fastChatVote(winner: string, g: "g1" | "g2"): string {
  if (winner === "error") return "invalid";
  if (winner === "tie") return "tie";
  const shownFirst = g === "g1" ? "model_1" : "model_2";
  return winner === shownFirst ? "A" : "B";
}

describe.skipIf(!HAS_FIXTURE)(`parseVerdict on the 150 real GPT-4 judgments (${HAS_FIXTURE ? "fixture found" : SKIP_REASON})`, () => {
  const pairs = HAS_FIXTURE ? loadMtBenchPairs() : [];
  const cases = pairs.flatMap((p) =>
    (["g1", "g2"] as const).map((g, i) => ({
      id: `${p.question_id} ${g}`,
      text: g === "g1" ? p.g1_judgment : p.g2_judgment,
      expected: letterToVote[EXPECTED[p.question_id]![i] as keyof typeof letterToVote],
      fastChat: fastChatVote(g === "g1" ? p.g1_winner : p.g2_winner, g),
    })),
  );

  it("covers all 150 judgments", () => {
    expect(cases).toHaveLength(150);
    expect(Object.keys(EXPECTED)).toHaveLength(75);
  });

  it.each(cases)("$id → $expected", ({ text, expected }) => {
    expect(parseVerdict(text).vote).toBe(expected);
  });

  it("agrees with FastChat except for the listed misreads", () => {
    const disagreements = cases.filter((c) => parseVerdict(c.text).vote !== c.fastChat).map((c) => c.id.split(" ")[0]);
    expect(disagreements).toEqual(Object.keys(FASTCHAT_MISREADS));
  });

  it("reads $ERROR$ as invalid with a reason", () => {
    const errors = cases.filter((c) => c.text.trim() === "$ERROR$");
    expect(errors.map((c) => c.id)).toEqual(["124 g2", "125 g1", "125 g2"]);
    for (const c of errors) expect(parseVerdict(c.text)).toEqual({ vote: "invalid", reason: "judge call failed ($ERROR$)" });
  });

  it('reads "[[C]] for a tie" (with trailing prose) as a genuine tie', () => {
    const trailing = cases.filter((c) => /\[\[C\]\] for a tie/.test(c.text));
    expect(trailing.length).toBeGreaterThanOrEqual(5);
    for (const c of trailing) expect(parseVerdict(c.text).vote).toBe("tie");
  });
});

describe("parseVerdict on restatements and variants", () => {
  it.each([
    ["I must output [[A]] if Assistant A is better, [[B]] if Assistant B is better, and [[C]] for a tie. A is clearer.\n\nFinal verdict: [[A]]", "A"],
    ['Output "[[A]]" if A is better, "[[B]]" if B is better, or "[[C]]" for a tie.\nBoth are wrong in the same way.\n[[C]]', "tie"],
    ["Following the format ([[A]], [[B]] or [[C]]), my verdict is [[B]]", "B"],
    ["[[A]] for A, [[B]] for B, [[C]] for a tie. Overall B wins: [[B]]", "B"],
    ["Reminder: [[A]] means A wins and [[B]] means B wins. B is correct. [[B]]", "B"],
    ["Verdict: **[[B]]**.", "B"],
    ["Final verdict: [[ A ]]", "A"],
    ["final verdict: [[b]]", "B"],
    ["Final verdict: [[C]] for a tie, as both are wrong.", "tie"],
    ["B is better.\n\n[[B]]\n\n[[B]]", "B"],
  ])("%j → %s", (text, vote) => {
    expect(parseVerdict(text).vote).toBe(vote);
  });

  it.each([
    ["", "empty judgment"],
    ["   \n", "empty judgment"],
    ["$ERROR$", "judge call failed ($ERROR$)"],
    ["Both answers have merit; I cannot pick.", "no verdict marker"],
    ["Answer with [[A]] if A is better or [[B]] if B is better.", "restatement"],
    ["The options are [[A]], [[B]] and [[C]].", "restatement"],
    ["At first I thought [[A]]. On reflection, [[B]].", "conflicting"],
    ["Verdict: [A]", "no verdict marker"],
    ["Verdict: [[Tie]]", "no verdict marker"],
    ["Verdict: [[D]]", "no verdict marker"],
    ["Verdict: ［［A］］", "no verdict marker"],
  ])("%j is invalid (%s)", (text, reason) => {
    const v = parseVerdict(text);
    expect(v.vote).toBe("invalid");
    if (v.vote === "invalid") expect(v.reason).toContain(reason);
  });
});

/** Prose that cannot contain a marker: brackets are allowed, just never doubled. */
const prose = fc.string({ maxLength: 200 }).map((s) => s.replace(/\[\s*\[/g, "[ x ["));
const letter = fc.constantFrom("A", "B", "C");
const voteOf = (l: string) => (l === "C" ? "tie" : l);

describe("parseVerdict properties", () => {
  it("text with no marker is invalid", () => {
    fc.assert(fc.property(prose, (s) => parseVerdict(s).vote === "invalid"));
  });

  it("prose followed by exactly one marker at the end parses to that marker", () => {
    fc.assert(
      fc.property(prose, letter, (s, l) => {
        expect(parseVerdict(`${s}\n\nFinal verdict: [[${l}]]`).vote).toBe(voteOf(l));
      }),
    );
  });

  it("a format restatement before the verdict never changes it", () => {
    const restatement = fc.constantFrom(
      "Output [[A]] if Assistant A is better, [[B]] if Assistant B is better, and [[C]] for a tie.",
      "I will answer with [[A]], [[B]] or [[C]].",
      '"[[A]]" means A wins, "[[B]]" means B wins; "[[C]]" means a tie.',
    );
    fc.assert(
      fc.property(restatement, prose, letter, (r, s, l) => {
        expect(parseVerdict(`${r}\n${s}\n\nFinal verdict: [[${l}]]`).vote).toBe(voteOf(l));
      }),
    );
  });

  it("two different genuine verdicts are invalid, never silently one of them", () => {
    fc.assert(
      fc.property(prose, letter, letter, (s, x, y) => {
        fc.pre(x !== y);
        expect(parseVerdict(`My first impression: [[${x}]].\n${s}\nFinal verdict: [[${y}]]`).vote).toBe("invalid");
      }),
    );
  });

  it("neutralised user content can never parse as a verdict", () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom("[[A]]", "[[ b ]]", "[", "]", "[[", "]]", " if ", "x", "\n"), { maxLength: 20 }).map((p) => p.join("")),
    );
    fc.assert(fc.property(hostile, (s) => parseVerdict(neutralizeDelimiters(s)).vote === "invalid"));
  });
});
