/**
 * Collects results and writes them in batches, off the items' critical path: an item hands its
 * rows over and moves on to its next LLM call while a single writer flushes many items' rows in
 * one statement. Flushes run one at a time, in order. What is still buffered when a process
 * dies is simply not in the database, and the item is redone on resume; each item's rows are
 * added together, so an item is never half-written. A failed flush is rethrown by the next
 * add() or flush().
 */
export class WriteBehind<T> {
  private buffer: T[] = [];
  private running: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failure: { err: unknown } | null = null;
  private inFlight = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly opts: { maxBatch: number; maxDelayMs: number } = { maxBatch: 500, maxDelayMs: 25 },
  ) {}

  /** Buffers one item's rows; waits only when a full batch is already waiting to be written. */
  async add(rows: T[]): Promise<void> {
    this.throwIfFailed();
    this.buffer.push(...rows);
    if (this.buffer.length >= this.opts.maxBatch) {
      const flushing = this.startFlush();
      // Backpressure: never more than one full batch queued behind the one being written.
      if (this.inFlight > 1) await flushing;
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.startFlush(), this.opts.maxDelayMs);
    }
    this.throwIfFailed();
  }

  /** Writes everything buffered and waits for it. */
  async flush(): Promise<void> {
    await this.startFlush();
    this.throwIfFailed();
  }

  private startFlush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return this.running;
    this.inFlight += 1;
    this.running = this.running.then(async () => {
      try {
        if (!this.failure) await this.write(batch);
      } catch (err) {
        this.failure ??= { err };
      } finally {
        this.inFlight -= 1;
      }
    });
    return this.running;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.err;
  }
}
