/**
 * Streams records out of a JSONL or CSV file, one at a time, each with the line it starts on.
 * A line that cannot be read is yielded as an error record (its line number and why), never
 * thrown, so one bad line does not stop a 100,000-line file. Reads the file system.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parse as parseCsv, type CsvError } from "csv-parse";

export type InputFormat = "jsonl" | "csv";

export type InputRecord =
  | { line: number; ok: true; value: Record<string, unknown> }
  | { line: number; ok: false; error: string; raw: string };

export function detectFormat(path: string, explicit?: string): InputFormat {
  if (explicit) {
    const f = explicit.toLowerCase();
    if (f === "jsonl" || f === "ndjson" || f === "json") return "jsonl";
    if (f === "csv") return "csv";
    throw new Error(`unknown --format "${explicit}" (use jsonl or csv)`);
  }
  return /\.csv$/i.test(path) ? "csv" : "jsonl";
}

/** Fields a CSV cell carries as JSON text (conversations, metadata). */
const JSON_CELLS = new Set(["conversation", "conversation_a", "conversation_b", "metadata"]);

export async function* readRecords(path: string, format: InputFormat): AsyncGenerator<InputRecord> {
  if (format === "csv") yield* readCsv(path);
  else yield* readJsonl(path);
}

async function* readJsonl(path: string): AsyncGenerator<InputRecord> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { line, ok: false, error: `not valid JSON (${(err as Error).message})`, raw: text };
      continue;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      yield { line, ok: false, error: "not a JSON object", raw: text };
      continue;
    }
    yield { line, ok: true, value: value as Record<string, unknown> };
  }
}

async function* readCsv(path: string): AsyncGenerator<InputRecord> {
  const skipped: InputRecord[] = [];
  const parser = createReadStream(path).pipe(
    parseCsv({
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      relax_column_count: false,
      max_record_size: 4_000_000,
      on_skip: (err: CsvError | undefined, raw: string | undefined) => {
        const line = typeof err?.lines === "number" ? err.lines : 0;
        skipped.push({ line, ok: false, error: `unreadable CSV record (${err?.message ?? "skipped"})`, raw: raw ?? "" });
        return undefined;
      },
    }),
  );
  for await (const { info, record } of parser as AsyncIterable<{ info: { lines: number }; record: Record<string, string> }>) {
    while (skipped.length) yield skipped.shift()!;
    const value: Record<string, unknown> = {};
    let bad: string | undefined;
    for (const [k, v] of Object.entries(record)) {
      if (JSON_CELLS.has(k) && v.trim() !== "") {
        try {
          value[k] = JSON.parse(v);
        } catch {
          bad = `column "${k}" is not valid JSON`;
        }
      } else if (v !== "" || !JSON_CELLS.has(k)) value[k] = v;
    }
    if (bad) yield { line: info.lines, ok: false, error: bad, raw: JSON.stringify(record) };
    else yield { line: info.lines, ok: true, value };
  }
  while (skipped.length) yield skipped.shift()!;
}

/** How many records the file holds (non-blank lines; CSV records), for the progress total. */
export async function countRecords(path: string, format: InputFormat): Promise<number> {
  if (format === "csv") {
    let n = 0;
    for await (const _ of readCsv(path)) n++;
    return n;
  }
  let n = 0;
  let lineHasText = false;
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === 10) {
        if (lineHasText) n++;
        lineHasText = false;
      } else if (b !== 32 && b !== 13 && b !== 9) lineHasText = true;
    }
  }
  return lineHasText ? n + 1 : n;
}
