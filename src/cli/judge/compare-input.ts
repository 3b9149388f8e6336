/**
 * `selfjudge compare A B`: two files of outputs for the same prompts, joined on `id` (or on the
 * record's position when a file has no ids), become pair records with A's output as response_a
 * and B's as response_b. The B file is indexed in memory; A streams. Reads the file system.
 */
import { readRecords, type InputFormat, type InputRecord } from "./input";

const OUTPUT_FIELDS = ["output", "response", "completion", "answer"] as const;
const PROMPT_FIELDS = ["instruction", "prompt", "input", "question"] as const;

function pick(v: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const f of fields) if (typeof v[f] === "string") return v[f] as string;
  return undefined;
}

interface Side {
  output: string;
  instruction?: string;
  conversation?: unknown;
}

export async function* compareRecords(
  pathA: string,
  formatA: InputFormat,
  pathB: string,
  formatB: InputFormat,
  report: (line: string) => void,
): AsyncGenerator<InputRecord> {
  const byKey = new Map<string, Side>();
  let n = 0;
  for await (const rec of readRecords(pathB, formatB)) {
    n++;
    if (!rec.ok) {
      report(`${pathB} line ${rec.line}: ${rec.error} (skipped)`);
      continue;
    }
    const output = pick(rec.value, OUTPUT_FIELDS);
    if (output === undefined) {
      report(`${pathB} line ${rec.line}: no output field (one of ${OUTPUT_FIELDS.join(", ")}) (skipped)`);
      continue;
    }
    const id = rec.value.id;
    const key = typeof id === "string" || typeof id === "number" ? `id:${id}` : `#${n}`;
    byKey.set(key, { output, instruction: pick(rec.value, PROMPT_FIELDS), conversation: rec.value.conversation });
  }
  let i = 0;
  for await (const rec of readRecords(pathA, formatA)) {
    i++;
    if (!rec.ok) {
      yield rec;
      continue;
    }
    const v = rec.value;
    const id = v.id;
    const key = typeof id === "string" || typeof id === "number" ? `id:${id}` : `#${i}`;
    const b = byKey.get(key);
    const output = pick(v, OUTPUT_FIELDS);
    const raw = JSON.stringify(v);
    if (!b) {
      yield { line: rec.line, ok: false, error: `no matching record in ${pathB} (${key.startsWith("id:") ? `id ${JSON.stringify(id)}` : `record ${i}`})`, raw };
      continue;
    }
    byKey.delete(key);
    if (output === undefined) {
      yield { line: rec.line, ok: false, error: `no output field (one of ${OUTPUT_FIELDS.join(", ")})`, raw };
      continue;
    }
    const instruction = pick(v, PROMPT_FIELDS) ?? b.instruction;
    const conversation = v.conversation ?? b.conversation;
    const pa = pick(v, PROMPT_FIELDS);
    if (pa !== undefined && b.instruction !== undefined && pa !== b.instruction) {
      yield { line: rec.line, ok: false, error: `the two files ask different prompts for ${key.startsWith("id:") ? `id ${JSON.stringify(id)}` : `record ${i}`}`, raw };
      continue;
    }
    yield {
      line: rec.line,
      ok: true,
      value: {
        ...(typeof id === "string" || typeof id === "number" ? { id } : {}),
        ...(instruction !== undefined ? { instruction } : { conversation }),
        response_a: output,
        response_b: b.output,
        ...(v.metadata !== undefined ? { metadata: v.metadata } : {}),
        ...(v.reference !== undefined ? { reference: v.reference } : {}),
      },
    };
  }
  if (byKey.size) report(`${byKey.size} record(s) of ${pathB} have no match in ${pathA} (not judged)`);
}

/** How many records A holds (the progress total). */
export { countRecords } from "./input";
