import { parquetWriteBuffer } from "hyparquet-writer";

// Small files in the public layouts of each benchmark (field names as the published files have
// them), written here so no test downloads anything. GOOD marks the better answer for the fake judge.

export const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** RewardBench `filtered` split rows: prompt, chosen, chosen_model, rejected, rejected_model, subset, id. */
export function rewardbenchRows(perSubset: Record<string, number>, startId = 0) {
  const rows: Array<Record<string, unknown>> = [];
  let id = startId;
  for (const [subset, n] of Object.entries(perSubset)) {
    for (let i = 0; i < n; i++) {
      rows.push({
        prompt: `${subset} prompt ${i}`,
        chosen: `GOOD ${subset} answer ${i}`,
        chosen_model: "gpt-4",
        rejected: `poor ${subset} answer ${i}`,
        rejected_model: "llama-7b",
        subset,
        id: id++,
      });
    }
  }
  return rows;
}

export function rewardbenchParquet(rows: Array<Record<string, unknown>>, rowGroupSize = 1000): ArrayBuffer {
  const col = (name: string) => rows.map((r) => r[name] as string);
  return parquetWriteBuffer({
    columnData: [
      { name: "prompt", data: col("prompt"), type: "STRING" },
      { name: "chosen", data: col("chosen"), type: "STRING" },
      { name: "chosen_model", data: col("chosen_model"), type: "STRING" },
      { name: "rejected", data: col("rejected"), type: "STRING" },
      { name: "rejected_model", data: col("rejected_model"), type: "STRING" },
      { name: "subset", data: col("subset"), type: "STRING" },
      { name: "id", data: rows.map((r) => BigInt(r.id as number)), type: "INT64" },
    ],
    rowGroupSize,
  });
}

/** JudgeBench rows (data/dataset=judgebench,response_model=….jsonl). */
export function judgebenchRows() {
  const sources = ["mmlu-pro-math", "mmlu-pro-law", "livebench-reasoning", "livebench-math", "livecodebench"];
  return sources.map((source, i) => ({
    pair_id: `pair-${i}`,
    original_id: `orig-${i}`,
    source,
    question: `judgebench question ${i}`,
    response_model: "gpt-4o-2024-05-13",
    response_A: i % 2 === 0 ? `GOOD answer ${i}` : `wrong answer ${i}`,
    response_B: i % 2 === 0 ? `wrong answer ${i}` : `GOOD answer ${i}`,
    label: i % 2 === 0 ? "A>B" : "B>A",
  }));
}

const conv = (q1: string, a1: string, q2: string, a2: string) => [
  { content: q1, role: "user" },
  { content: a1, role: "assistant" },
  { content: q2, role: "user" },
  { content: a2, role: "assistant" },
];

/** lmsys/mt_bench_human_judgments `human` split rows: two turns, several judges per pair. */
export function mtBenchHumanRows() {
  const a = conv("Write a haiku about rain.", "GOOD haiku one", "Now make it about snow.", "GOOD snow haiku");
  const b = conv("Write a haiku about rain.", "bad haiku", "Now make it about snow.", "bad snow haiku");
  return [
    { question_id: 81, model_a: "gpt-4", model_b: "llama-13b", winner: "model_a", judge: "expert_1", conversation_a: a, conversation_b: b, turn: 1 },
    { question_id: 81, model_a: "gpt-4", model_b: "llama-13b", winner: "model_a", judge: "expert_2", conversation_a: a, conversation_b: b, turn: 1 },
    { question_id: 81, model_a: "gpt-4", model_b: "llama-13b", winner: "tie", judge: "expert_3", conversation_a: a, conversation_b: b, turn: 1 },
    { question_id: 81, model_a: "gpt-4", model_b: "llama-13b", winner: "model_a", judge: "expert_1", conversation_a: a, conversation_b: b, turn: 2 },
    { question_id: 81, model_a: "gpt-4", model_b: "llama-13b", winner: "tie (bothbad)", judge: "expert_2", conversation_a: a, conversation_b: b, turn: 2 },
    { question_id: 82, model_a: "llama-13b", model_b: "gpt-4", winner: "model_b", judge: "author_0", conversation_a: b, conversation_b: a, turn: 2 },
  ];
}

/** THU-KEG/RM-Bench rows: chosen/rejected in three styles (concise, detailed, markdown). */
export function rmBenchRows() {
  return ["chat", "math"].map((domain, i) => ({
    id: i,
    prompt: `${domain} prompt`,
    chosen: [`GOOD short ${i}`, `GOOD long ${i} with details`, `GOOD **markdown** ${i}`],
    rejected: [`bad short ${i}`, `bad long ${i} with details`, `bad **markdown** ${i}`],
    domain,
  }));
}
