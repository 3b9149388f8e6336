import { describe, expect, it } from "vitest";
import { rmBenchScores } from "../../src/benchmarks";
import { judgedUnits, type Judged } from "./published-units";

// An RM-Bench leaderboard row, reproduced from a file in RM-Bench's public layout (id, prompt,
// chosen[3], rejected[3], domain) through the real import mapping (mapRecord: 9 pairs per row,
// tagged with their cell) and rmBenchScores.
//
// Rule: THU-KEG/RM-Bench scripts/utils.py compute_accuracy (and the README's "Clarity on Avg
// Calculation"): per domain (safety-refuse and safety-response pooled as "safety" by
// split_dataset_by_domain's startswith), M[i][j] = share of rows whose chosen style i beats
// rejected style j; hard = mean of the upper triangle, normal = the diagonal, easy = the lower
// triangle; a domain's score = mean(easy, normal, hard); Easy/Normal/Hard/Overall = means over the
// four domains (Overall = Domain Avg = Difficulty Avg), not pooled over pairs.
//
// Source: THU-KEG/RM-Bench-Leaderboard README, "Detailed Leaderboard", row
// Self-taught-evaluator-llama3.1-70B (GenRM): Chat 73.4, Math 65.7, Code 56.3, Safety 90.4,
// Easy 80.2, Normal 74.5, Hard 59.7, Domain Avg 71.5, Difficulty Avg 71.5, Overall 71.5
// ("Potentially Score Mismatch": False). The row is rounded to 0.1 and its domain and difficulty
// sums disagree by 0.2 (3 × 285.8 = 857.4 vs 4 × 214.4 = 857.6), so no exact 4 × 3 table gives
// every printed digit from unrounded inputs; the per-domain easy/normal/hard below are ours, chosen
// so that every published figure is their rounding (hand-computed, in %):
//            easy   normal  hard   → domain
//   chat     85.0   77.0    58.2   → 220.2 / 3 = 73.4
//   math     75.0   68.0    54.1   → 197.1 / 3 = 65.7
//   code     64.0   57.0    47.9   → 168.9 / 3 = 56.3
//   safety   96.8   96.0    78.5   → 271.3 / 3 = 90.433
//   mean     80.2   74.5    59.675 → overall 857.5 / 12 = 71.458
// Domains have different sizes (math 2,000 prompts, the others 1,000), so pooling pairs across
// domains would give another number (easy: (850 + 1500 + 640 + 968) / 5000 = 79.2).

/** Prompts per domain and, per difficulty, how many of them the judge gets right in each cell of that triangle. */
const DOMAINS = {
  chat: { n: 1000, easy: 850, normal: 770, hard: 582 },
  math: { n: 2000, easy: 1500, normal: 1360, hard: 1082 },
  code: { n: 1000, easy: 640, normal: 570, hard: 479 },
  // safety pools both sub-domains: easy (400 + 568) / 1000, normal (400 + 560) / 1000, hard (300 + 485) / 1000
  "safety-refuse": { n: 400, easy: 400, normal: 400, hard: 300 },
  "safety-response": { n: 600, easy: 568, normal: 560, hard: 485 },
} as const;
type Domain = keyof typeof DOMAINS;

function rmBenchFile() {
  const rows: Array<Record<string, unknown>> = [];
  for (const [domain, { n }] of Object.entries(DOMAINS)) {
    for (let k = 0; k < n; k++) {
      rows.push({
        id: `${domain}:${k}`,
        prompt: `${domain} prompt ${k}`,
        chosen: [`right ${k}`, `right ${k}, explained in detail`, `**right** ${k}, in detail with markdown`],
        rejected: [`wrong ${k}`, `wrong ${k}, explained in detail`, `**wrong** ${k}, in detail with markdown`],
        domain,
      });
    }
  }
  return rows;
}

/** Row k of a domain is judged right in both orders in a cell when k < that cell's count, else wrong in both. */
function judge(item: { subset: string; meta: Record<string, unknown> }): Judged {
  const [i, j] = item.meta.cell as [number, number];
  const k = Number(String(item.meta.id).split(":")[1]);
  const d = DOMAINS[item.subset as Domain];
  const right = k < (i < j ? d.hard : i === j ? d.normal : d.easy);
  return right ? { ab: "A", ba: "A" } : { ab: "B", ba: "B" };
}

const pct1 = (x: number) => (100 * x).toFixed(1);

describe("RM-Bench published row (leaderboard: Self-taught-evaluator-llama3.1-70B)", () => {
  it("reproduces Chat 73.4, Math 65.7, Code 56.3, Safety 90.4, Easy 80.2, Normal 74.5, Hard 59.7, Overall 71.5", () => {
    const r = rmBenchScores(judgedUnits("rm-bench", rmBenchFile(), judge));
    expect(Object.keys(r.sections)).toEqual(["chat", "code", "math", "safety"]);
    const expected = {
      chat: [0.85, 0.77, 0.582],
      math: [0.75, 0.68, 0.541],
      code: [0.64, 0.57, 0.479],
      safety: [0.968, 0.96, 0.785],
    };
    for (const [section, [easy, normal, hard]] of Object.entries(expected)) {
      const s = r.sections[section]!;
      expect(s.easy.score).toBeCloseTo(easy!, 12);
      expect(s.normal.score).toBeCloseTo(normal!, 12);
      expect(s.hard.score).toBeCloseTo(hard!, 12);
      expect(s.avg.score).toBeCloseTo((easy! + normal! + hard!) / 3, 12);
    }
    expect(r.sections.safety!.matrix).toEqual([[0.96, 0.785, 0.785], [0.968, 0.96, 0.785], [0.968, 0.968, 0.96]]);
    expect(r.sections.math!.hard.n).toBe(3 * 2000);
    // The raw domains stay visible: safety-refuse's hard cells are 300 / 400.
    expect(r.domains["safety-refuse"]!.hard.score).toBeCloseTo(0.75, 12);
    expect(r.domains["safety-response"]!.hard.score).toBeCloseTo(485 / 600, 12);

    expect(r.overall.easy.score).toBeCloseTo(0.802, 12);
    expect(r.overall.normal.score).toBeCloseTo(0.745, 12);
    expect(r.overall.hard.score).toBeCloseTo(0.59675, 12);
    expect(r.overall.avg.score).toBeCloseTo(8.575 / 12, 12);
    expect(r.overall.easy.n).toBe(3 * 5000);

    const published = [
      pct1(r.sections.chat!.avg.score), pct1(r.sections.math!.avg.score), pct1(r.sections.code!.avg.score), pct1(r.sections.safety!.avg.score),
      pct1(r.overall.easy.score), pct1(r.overall.normal.score), pct1(r.overall.hard.score), pct1(r.overall.avg.score),
    ];
    expect(published).toEqual(["73.4", "65.7", "56.3", "90.4", "80.2", "74.5", "59.7", "71.5"]);
  });
});
