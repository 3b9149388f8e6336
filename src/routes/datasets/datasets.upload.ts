import { randomUUID } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AsyncBuffer } from "hyparquet";
import { readJson, readJsonl, readParquet, type RawRecord } from "../../datasets";
import { ApiError } from "../../lib/errors";

// Speaks HTTP: turns an upload's body into a stream of records by its media type.

const JSONL = ["application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"];
const JSON_TYPES = ["application/json"];
const PARQUET = ["application/vnd.apache.parquet", "application/x-parquet", "application/parquet"];

export const DATASET_MEDIA_TYPES = [...JSONL, ...JSON_TYPES, ...PARQUET];

export type UploadKind = "jsonl" | "json" | "parquet";

export function uploadKind(contentType: string | undefined): UploadKind {
  const essence = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (JSONL.includes(essence)) return "jsonl";
  if (JSON_TYPES.includes(essence)) return "json";
  if (PARQUET.includes(essence)) return "parquet";
  throw new ApiError(
    "unsupported_media_type",
    `send the file as application/x-ndjson (JSON Lines), application/json or application/vnd.apache.parquet, not '${essence || "(none)"}'`,
  );
}

/**
 * The records of an upload and a cleanup to call afterwards. Parquet is random-access (its
 * footer comes last), so the body is first streamed to a temporary file and read from there a
 * row group at a time; JSON and JSONL are parsed as they arrive.
 */
export async function uploadRecords(kind: UploadKind, body: ReadableStream<Uint8Array>): Promise<{ records: AsyncIterable<RawRecord>; cleanup: () => Promise<void> }> {
  if (kind === "jsonl") return { records: readJsonl(body), cleanup: async () => {} };
  if (kind === "json") return { records: readJson(body), cleanup: async () => {} };
  const path = join(tmpdir(), `selfjudge-upload-${randomUUID()}.parquet`);
  const cleanup = () => rm(path, { force: true });
  try {
    const out = await open(path, "w");
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value) await out.write(value);
      }
    } finally {
      await out.close();
    }
    const handle = await open(path, "r");
    const { size } = await handle.stat();
    const file: AsyncBuffer = {
      byteLength: size,
      async slice(start: number, end?: number) {
        const stop = Math.min(end ?? size, size);
        const buf = Buffer.alloc(Math.max(0, stop - start));
        await handle.read(buf, 0, buf.length, start);
        return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      },
    };
    return {
      records: readParquet(file),
      cleanup: async () => {
        await handle.close().catch(() => undefined);
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
