import type { Db } from "../db/client";
import { examplesPage, type ExampleWithPair } from "../db/queries/training-items";

export type DatasetFormat = "sft" | "dpo";

/** OpenAI chat fine-tuning format: the judge prompt, then the verified judgment as the answer. */
export function sftRecord(e: Pick<ExampleWithPair, "prompt" | "chosenJudgment">) {
  return { messages: [...e.prompt, { role: "assistant", content: e.chosenJudgment }] };
}

/** OpenAI preference format: the same prompt with a correct and a wrong judgment. */
export function dpoRecord(e: Pick<ExampleWithPair, "prompt" | "chosenJudgment" | "rejectedJudgment">) {
  return {
    input: { messages: e.prompt },
    preferred_output: [{ role: "assistant", content: e.chosenJudgment }],
    non_preferred_output: [{ role: "assistant", content: e.rejectedJudgment ?? "" }],
  };
}

/** JSONL lines of an iteration's dataset, read a page at a time. */
export async function* datasetLines(
  db: Db,
  runId: string,
  iteration: number,
  format: DatasetFormat,
  pageSize = 500,
): AsyncGenerator<string> {
  let after: string | null = null;
  for (;;) {
    const page = await examplesPage(db, runId, iteration, format, after, pageSize);
    for (const e of page) yield `${JSON.stringify(format === "sft" ? sftRecord(e) : dpoRecord(e))}\n`;
    if (page.length < pageSize) return;
    after = page.at(-1)!.id;
  }
}
