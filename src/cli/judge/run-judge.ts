/**
 * `selfjudge judge` and `selfjudge compare`: records in, results JSONL out (resumable), progress
 * on stderr, summary table or --json on stdout, exit code from the --min-win-rate check.
 */
import { SelfjudgeConnectionError, SelfjudgeError, type SelfjudgeClient } from "../../client";
import { CliError, EXIT, type CliIo } from "../io";
import { createProgress } from "../progress";
import type { InputRecord } from "./input";
import { preparePair, type PairItem, type PairKey, type PreparedPair } from "./pairs";
import { PipelineError, runPipeline } from "./pipeline";
import { lazySink, openSink, readDone } from "./results-file";
import { addResult, emptyTally, formatSummary, parseGate, summarize, type ResultLine, type Tally } from "./summary";

export interface JudgeRunOptions {
  out?: string;
  rejects?: string;
  evaluator?: string;
  version?: string;
  samples?: number;
  swap: boolean;
  referenceField?: string;
  concurrency: number;
  batchSize: number;
  maxBatchBytes: number;
  minWinRate?: string;
  json: boolean;
  quiet?: boolean;
  label?: string;
}

type BatchResult = Awaited<ReturnType<SelfjudgeClient["judgeBatch"]>>["results"][number];
type ItemOutcome = BatchResult | { ok: false; error: { status: number; title: string; detail: string; type?: string } };

const MAX_REJECT_MESSAGES = 20;

/** One results line (pure). */
export function resultLine(pair: PreparedPair, r: ItemOutcome, swapChecked: boolean): ResultLine {
  if (!r.ok) {
    const { status, title, detail, type } = r.error;
    const judgmentId = (r.error as { judgment_id?: unknown }).judgment_id;
    return {
      line: pair.line,
      id: pair.id,
      ok: false,
      error: { status, title, detail, ...(type ? { type } : {}), ...(typeof judgmentId === "string" ? { judgment_id: judgmentId } : {}) },
    };
  }
  const j = r.judgment;
  return {
    line: pair.line,
    id: pair.id,
    ok: true,
    verdict: j.verdict,
    confidence: j.confidence,
    position_consistent: j.position_consistent,
    swap_checked: swapChecked,
    reasoning: j.reasoning,
    votes: j.votes,
    judgment_id: j.id,
    evaluator: j.evaluator.name,
    version: j.version.name,
    cached: j.cached,
    usage: j.usage,
    latency_ms: j.latency_ms,
  };
}

export async function judgeRecords(
  io: CliIo,
  client: SelfjudgeClient,
  records: AsyncIterable<InputRecord>,
  total: number,
  o: JudgeRunOptions,
): Promise<number> {
  const gate = o.minWinRate !== undefined ? parseGate(o.minWinRate) : undefined;
  const tally: Tally = emptyTally();
  const { done, dropped } = o.out && o.out !== "-" ? await readDone(o.out, tally) : { done: new Set<PairKey>(), dropped: 0 };
  if (dropped) io.stderr.write(`note: dropped a half-written last line (${dropped} bytes) from ${o.out}\n`);
  const out = o.out ? openSink(o.out, "append") : lazySink(undefined, "append");
  const rejects = lazySink(o.rejects, "truncate");
  const progress = createProgress({
    stream: io.stderr,
    tty: io.stderr.isTTY === true && !o.quiet,
    label: o.label ?? "judging",
    quiet: o.quiet,
  });
  let rejectMessages = 0;
  const seen = new Set<PairKey>();
  let finished = tally.resumed;

  async function reject(line: number, error: string, raw: string) {
    tally.rejected++;
    progress.update(++finished, tally.failed);
    if (rejectMessages++ < MAX_REJECT_MESSAGES) io.stderr.write(`line ${line}: ${error} (skipped)\n`);
    else if (rejectMessages === MAX_REJECT_MESSAGES + 1) io.stderr.write(`more unreadable lines: see ${o.rejects ?? "--rejects FILE"}\n`);
    await rejects.write(`${JSON.stringify({ line, error, raw })}\n`);
  }

  async function* pairs(): AsyncGenerator<PreparedPair> {
    for await (const rec of records) {
      if (!rec.ok) {
        await reject(rec.line, rec.error, rec.raw);
        continue;
      }
      const p = preparePair(rec.value, rec.line, { referenceField: o.referenceField });
      if ("error" in p) {
        await reject(rec.line, p.error, JSON.stringify(rec.value));
        continue;
      }
      if (done.has(p.key)) continue;
      if (seen.has(p.key)) {
        await reject(rec.line, `duplicate id ${JSON.stringify(p.id)}`, JSON.stringify(rec.value));
        continue;
      }
      seen.add(p.key);
      yield p;
    }
  }

  const options = {
    ...(o.version ? { version: o.version } : {}),
    ...(o.samples !== undefined ? { samples: o.samples } : {}),
    ...(o.swap ? {} : { swap: false }),
  };
  async function send(items: PairItem[], signal: AbortSignal): Promise<ItemOutcome[]> {
    try {
      const res = await client.judgeBatch(
        { ...(o.evaluator ? { evaluator: o.evaluator } : {}), items: items.map((it) => ({ ...it, ...options })) },
        { signal },
      );
      return res.results;
    } catch (err) {
      // A server-side failure of the whole batch fails its items, and the run goes on;
      // a client-side one (bad key, unknown evaluator, bad envelope) would fail every batch.
      if (err instanceof SelfjudgeError && err.status >= 500) {
        const error = { status: err.status, title: err.title, detail: err.detail, type: err.type };
        return items.map(() => ({ ok: false as const, error }));
      }
      throw err;
    }
  }

  progress.start(total, Math.min(total, tally.resumed));
  let exitCode: number = EXIT.ok;
  let fatal: string | undefined;
  try {
    await runPipeline<ItemOutcome>({
      pairs: pairs(),
      send,
      async onResults(outcomes) {
        let text = "";
        for (const { pair, result } of outcomes) {
          const line = resultLine(pair, result, o.swap);
          addResult(tally, line);
          text += `${JSON.stringify(line)}\n`;
        }
        await out.write(text);
        finished += outcomes.length;
        progress.update(finished, tally.failed);
      },
      concurrency: o.concurrency,
      // Small files still use every slot: no fewer batches than concurrent requests.
      maxItems: Math.max(1, Math.min(o.batchSize, Math.ceil((total - tally.resumed) / o.concurrency))),
      maxBytes: o.maxBatchBytes,
      stop: io.stop,
      hardStop: io.hardStop,
    });
  } catch (err) {
    const cause = err instanceof PipelineError ? err.cause : err;
    if (io.hardStop.aborted) exitCode = EXIT.interrupted;
    else if (cause instanceof SelfjudgeConnectionError) fatal = cause.message;
    else if (cause instanceof SelfjudgeError) fatal = `${cause.status} ${cause.title}: ${cause.detail}`;
    else throw cause;
  } finally {
    progress.stop();
    await out.close();
    await rejects.close();
  }

  if (fatal) {
    io.stderr.write(`error: ${fatal}\n`);
    exitCode = EXIT.usage;
  } else if (io.stop.aborted) {
    io.stderr.write(`interrupted: ${o.out ? `results so far are in ${o.out}; run the same command again to resume` : "stopped"}\n`);
    exitCode = EXIT.interrupted;
  }
  // A run that did not finish checks nothing: the gate is only reported on a complete run.
  const summary = summarize(tally, exitCode === EXIT.ok ? gate : undefined);
  const toStdout = o.out !== "-";
  const stream = toStdout ? io.stdout : io.stderr;
  if (o.json) stream.write(`${JSON.stringify(summary)}\n`);
  else stream.write(formatSummary(summary));
  if (exitCode === EXIT.ok && summary.gate && !summary.gate.passed) exitCode = EXIT.checkFailed;
  return exitCode;
}

export function assertPositiveInt(name: string, v: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new CliError(`${name} must be an integer from 1 to ${max}`);
  return v;
}
