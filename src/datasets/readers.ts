import { JSONParser } from "@streamparser/json";
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from "hyparquet";
import { RecordError } from "./formats";

// Streaming readers of an uploaded file: each yields one record at a time with where it is in the
// file ("line 12", "item 3", "row 7"), so memory stays flat whatever the file's size.

export interface RawRecord {
  where: string;
  value: unknown;
}

/** A problem with the file itself (not valid JSON, not Parquet): named by position, field "". */
export class FileError extends RecordError {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super("", message);
  }
}

async function* chunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value && value.byteLength > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** JSON Lines: one record per non-blank line. */
export async function* readJsonl(body: ReadableStream<Uint8Array>): AsyncGenerator<RawRecord> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let carry = "";
  let line = 0;
  const parse = (text: string): RawRecord | null => {
    line += 1;
    const trimmed = text.trim();
    if (trimmed === "") return null;
    try {
      return { where: `line ${line}`, value: JSON.parse(trimmed) };
    } catch {
      throw new FileError(`line ${line}`, "is not valid JSON");
    }
  };
  try {
    for await (const chunk of chunks(body)) {
      carry += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = carry.indexOf("\n")) >= 0) {
        const rec = parse(carry.slice(0, nl));
        carry = carry.slice(nl + 1);
        if (rec) yield rec;
      }
    }
    carry += decoder.decode();
  } catch (err) {
    if (err instanceof RecordError) throw err;
    throw new FileError(`line ${line + 1}`, "is not valid UTF-8");
  }
  const rec = parse(carry);
  if (rec) yield rec;
}

/** JSON: an array of records, or an object whose `items` is that array; streamed element by element. */
export async function* readJson(body: ReadableStream<Uint8Array>): AsyncGenerator<RawRecord> {
  let parser: JSONParser | null = null;
  let pending: unknown[] = [];
  let index = 0;
  const start = (first: string) => {
    const paths = first === "[" ? ["$.*"] : first === "{" ? ["$.items.*"] : null;
    if (!paths) throw new FileError("item 1", 'the body must be a JSON array or an object {"items": [...]}');
    const p = new JSONParser({ paths, keepStack: false });
    p.onValue = ({ value }) => {
      pending.push(value);
    };
    return p;
  };
  const drain = function* (): Generator<RawRecord> {
    const out = pending;
    pending = [];
    for (const value of out) yield { where: `item ${++index}`, value };
  };
  try {
    for await (const chunk of chunks(body)) {
      if (!parser) {
        // The first non-blank byte says which of the two layouts this is.
        const at = chunk.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
        if (at < 0) continue;
        parser = start(String.fromCharCode(chunk[at]!));
        parser.write(chunk.subarray(at));
      } else parser.write(chunk);
      yield* drain();
    }
    if (!parser) throw new FileError("item 1", "the body is empty");
    if (!parser.isEnded) parser.end();
  } catch (err) {
    if (err instanceof RecordError) throw err;
    throw new FileError(`item ${index + pending.length + 1}`, `is not valid JSON (${(err as Error).message})`);
  }
  yield* drain();
}

// Rows decoded at a time. Files written by `datasets`' push_to_hub hold row groups of 1,000 rows,
// but pandas/pyarrow `to_parquet` writes one row group for up to a million rows, so a group is read
// in slices: only one slice's rows are ever objects in memory.
const SLICE_ROWS = 1000;

/**
 * Parquet, a slice of rows at a time. The file must be random-access (the footer is at the end),
 * so the HTTP layer spools the upload to a temporary file first and hands it in as an AsyncBuffer.
 * hyparquet fetches a group's column chunks for every slice of it, so those bytes (the file's
 * compressed size of one group) are read once and kept until the next group; within a chunk it
 * decodes only the pages a slice needs, for flat columns. Nested columns (lists, structs) are
 * decoded whole by hyparquet, so a group with one is read in one piece rather than once per slice.
 */
export async function* readParquet(file: AsyncBuffer): AsyncGenerator<RawRecord> {
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new FileError("file", `is not a Parquet file (${(err as Error).message})`);
  }
  const flat = parquetSchema(metadata).children.every((c) => c.children.length === 0 && c.element.repetition_type !== "REPEATED");
  const cache = new Map<string, Promise<ArrayBuffer>>();
  const cached: AsyncBuffer = {
    byteLength: file.byteLength,
    slice(start, end) {
      const key = `${start}:${end ?? ""}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = Promise.resolve(file.slice(start, end));
        cache.set(key, hit);
      }
      return hit;
    },
  };
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const step = flat ? SLICE_ROWS : groupEnd - groupStart;
    cache.clear();
    for (let rowStart = groupStart; rowStart < groupEnd; rowStart += step) {
      const rowEnd = Math.min(rowStart + step, groupEnd);
      const rows = await parquetReadObjects({ file: cached, metadata, rowStart, rowEnd });
      for (let i = 0; i < rows.length; i++) yield { where: `row ${rowStart + i + 1}`, value: rows[i] };
    }
    groupStart = groupEnd;
  }
}
