import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Real GPT-4 pairwise judgments from FastChat, kept outside the repo (see ../shared/fixtures/README.md). */
export const FIXTURE_PATH = fileURLToPath(
  new URL("../../../shared/fixtures/mt-bench-gpt4-pair.jsonl", import.meta.url),
);
export const HAS_FIXTURE = existsSync(FIXTURE_PATH);
export const SKIP_REASON = `skipped: ${FIXTURE_PATH} is absent (fresh clones have no ../shared fixtures)`;

export interface MtBenchPair {
  question_id: number;
  model_1: string;
  model_2: string;
  /** FastChat's reading (first marker wins), mapped to model_1 / model_2 / tie / error. */
  g1_winner: "model_1" | "model_2" | "tie" | "error";
  g2_winner: "model_1" | "model_2" | "tie" | "error";
  /** model_1 shown as Assistant A. */
  g1_judgment: string;
  /** model_2 shown as Assistant A. */
  g2_judgment: string;
}

export function loadMtBenchPairs(): MtBenchPair[] {
  return readFileSync(FIXTURE_PATH, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as MtBenchPair);
}
