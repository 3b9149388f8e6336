/**
 * The judge pipeline: pairs stream in, are packed into batches (≤ maxItems and ≤ maxBytes of
 * JSON), and up to `concurrency` batch requests stay in flight; a new one starts the moment any
 * finishes. Results are handed to `onResults` as each batch completes and are not kept. The
 * source is read only as fast as slots free up, so memory stays flat in the file's size.
 * Knows nothing of files or HTTP: `send` and `onResults` do that.
 */
import type { PairItem, PreparedPair } from "./pairs";

export interface BatchOutcome<R> {
  pair: PreparedPair;
  result: R;
}

export interface PipelineOptions<R> {
  pairs: AsyncIterable<PreparedPair>;
  send(items: PairItem[], signal: AbortSignal): Promise<R[]>;
  onResults(outcomes: BatchOutcome<R>[]): Promise<void> | void;
  concurrency: number;
  maxItems: number;
  maxBytes: number;
  /** Aborting stops taking new pairs; batches in flight finish unless `hardStop` fires too. */
  stop: AbortSignal;
  hardStop?: AbortSignal;
}

export class PipelineError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export async function runPipeline<R>(o: PipelineOptions<R>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const hard = o.hardStop ?? new AbortController().signal;

  const dispatch = (batch: PreparedPair[]) => {
    const p = (async () => {
      try {
        const results = await o.send(
          batch.map((b) => b.item),
          hard,
        );
        await o.onResults(batch.map((pair, i) => ({ pair, result: results[i]! })));
      } catch (err) {
        failure ??= err;
      }
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  let batch: PreparedPair[] = [];
  let bytes = 0;
  for await (const pair of o.pairs) {
    if (o.stop.aborted || failure !== undefined) break;
    const size = JSON.stringify(pair.item).length + 1;
    if (batch.length > 0 && (batch.length >= o.maxItems || bytes + size > o.maxBytes)) {
      while (inFlight.size >= o.concurrency) await Promise.race(inFlight);
      if (o.stop.aborted || failure !== undefined) {
        batch = [];
        break;
      }
      dispatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(pair);
    bytes += size;
  }
  if (batch.length > 0 && !o.stop.aborted && failure === undefined) {
    while (inFlight.size >= o.concurrency) await Promise.race(inFlight);
    dispatch(batch);
  }
  while (inFlight.size > 0) await Promise.race(inFlight);
  if (failure !== undefined) throw new PipelineError(failure);
}
