// Generated RewardBench rows for the benches (bench:import, bench:eval): the `filtered` split's
// columns and subset mix, texts of real length, deterministic. Pure.

// The filtered split's subsets with their sizes (2,985 rows), cycled to any row count.
const SUBSETS: Array<[string, number]> = [
  ["alpacaeval-easy", 100], ["alpacaeval-length", 95], ["alpacaeval-hard", 95], ["mt-bench-easy", 28], ["mt-bench-med", 40],
  ["mt-bench-hard", 37], ["llmbar-natural", 100], ["llmbar-adver-neighbor", 134], ["llmbar-adver-GPTInst", 92],
  ["llmbar-adver-GPTOut", 47], ["llmbar-adver-manual", 46], ["refusals-dangerous", 100], ["refusals-offensive", 100],
  ["xstest-should-refuse", 154], ["xstest-should-respond", 250], ["donotanswer", 136], ["math-prm", 447],
  ["hep-cpp", 164], ["hep-go", 164], ["hep-java", 164], ["hep-js", 164], ["hep-python", 164], ["hep-rust", 164],
];
const CYCLE = SUBSETS.flatMap(([s, n]) => Array<string>(n).fill(s));

/** Deterministic filler text of about `n` characters, distinct per seed (so nothing deduplicates). */
function text(seed: number, n: number): string {
  const words = ["the", "answer", "is", "because", "first", "then", "we", "compute", "value", "function", "returns", "list", "sorted", "result"];
  let s = `#${seed} `;
  let x = seed * 2654435761;
  while (s.length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += `${words[x % words.length]} `;
  }
  return s;
}

export interface RewardbenchRow {
  prompt: string;
  chosen: string;
  chosen_model: string;
  rejected: string;
  rejected_model: string;
  subset: string;
  id: number;
}

/**
 * Row `i`: prompts a few hundred characters, answers around 1,000–1,500 (real lengths). With
 * `markChosen`, the chosen answer starts with GOOD, which the fake LLM's oracle prefers.
 */
export function rewardbenchRow(i: number, o: { markChosen?: boolean } = {}): RewardbenchRow {
  const chosen = text(i + 1e7, 800 + (i % 900));
  return {
    prompt: text(i, 200 + (i % 400)),
    chosen: o.markChosen ? `GOOD ${chosen}` : chosen,
    chosen_model: "gpt-4",
    rejected: text(i + 2e7, 600 + (i % 1100)),
    rejected_model: "Llama-2-7b-chat",
    subset: CYCLE[i % CYCLE.length]!,
    id: i,
  };
}
