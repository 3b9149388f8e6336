/**
 * The results JSONL file: read back for resume, appended to as batches finish, with
 * back-pressure. Touches the file system only.
 */
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { open, stat, truncate } from "node:fs/promises";
import { createInterface } from "node:readline";
import { pairKey, type PairKey } from "./pairs";
import { addResult, type ResultLine, type Tally } from "./summary";

/**
 * A killed run can leave half a line at the end; cut the file back to its last full line so
 * appending continues cleanly. Returns how many bytes were dropped.
 */
async function dropPartialLastLine(path: string): Promise<number> {
  const { size } = await stat(path);
  if (size === 0) return 0;
  const fh = await open(path, "r");
  try {
    const chunk = 64 * 1024;
    let end = size;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    if (last[0] === 10) return 0;
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const buf = Buffer.alloc(end - start);
      await fh.read(buf, 0, buf.length, start);
      const nl = buf.lastIndexOf(10);
      if (nl >= 0) {
        await truncate(path, start + nl + 1);
        return size - (start + nl + 1);
      }
      end = start;
    }
    await truncate(path, 0);
    return size;
  } finally {
    await fh.close();
  }
}

/** Keys already in the results file, with their results added to the tally. */
export async function readDone(path: string, tally: Tally): Promise<{ done: Set<PairKey>; dropped: number }> {
  const done = new Set<PairKey>();
  if (!existsSync(path)) return { done, dropped: 0 };
  const dropped = await dropPartialLastLine(path);
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const text of rl) {
    if (!text.trim()) continue;
    let r: ResultLine;
    try {
      r = JSON.parse(text) as ResultLine;
    } catch {
      continue;
    }
    if (typeof r.line !== "number") continue;
    const key = pairKey(r.id, r.line);
    if (done.has(key)) continue;
    done.add(key);
    addResult(tally, r);
    tally.resumed++;
  }
  return { done, dropped };
}

export interface LineSink {
  /** Resolves once the stream can take more (back-pressure). */
  write(lines: string): Promise<void>;
  close(): Promise<void>;
}

function streamSink(stream: NodeJS.WritableStream, own: boolean): LineSink {
  return {
    write(lines) {
      if (lines === "") return Promise.resolve();
      if (stream.write(lines)) return Promise.resolve();
      return new Promise((resolve) => stream.once("drain", () => resolve()));
    },
    close() {
      if (!own) return Promise.resolve();
      return new Promise((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      });
    },
  };
}

/** Appends to a file ("-" = stdout). */
export function openSink(path: string, mode: "append" | "truncate"): LineSink {
  if (path === "-") return streamSink(process.stdout, false);
  return streamSink(createWriteStream(path, { flags: mode === "append" ? "a" : "w" }), true);
}

/** A file opened on its first line: no empty rejects file when every line was readable. */
export function lazySink(path: string | undefined, mode: "append" | "truncate"): LineSink {
  let sink: LineSink | undefined;
  return {
    write(lines) {
      if (!path) return Promise.resolve();
      sink ??= openSink(path, mode);
      return sink.write(lines);
    },
    close: () => sink?.close() ?? Promise.resolve(),
  };
}
