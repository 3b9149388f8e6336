import type { EvaluatorRow } from "../db/queries/evaluators";
import { addRunUsage, renewLease, updateRun, type TrainingRunRow } from "../db/queries/training";
import type { Logger } from "../lib/logger";
import type { LlmClient } from "../llm/types";
import { forEachConcurrent } from "../lib/concurrent";
import type { TrainingDeps } from "./deps";
import type { RunParams } from "./params";
import type { IterationRecord, RunState } from "./state";
import { meteredLlm, UsageMeter, type Purpose } from "./usage";
import { errorForLog } from "../db/errors";

export type StopCause = "cancel" | "lease_lost" | "slice";
export type Step = "curate" | "synthesize" | "annotate" | "train" | "evaluate";

/**
 * One execution of a run by one process. A heartbeat renews the lease, flushes token usage and
 * notices a cancel; steps check `shouldStop()` between items.
 */
export class RunContext {
  readonly usage = new UsageMeter();
  readonly log: Logger;
  private readonly abort = new AbortController();
  private cause: StopCause | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly deadline: number;
  // A slice ends only after it achieved something, so even a tiny slice always moves the run on.
  private progressed = false;
  progress: Record<string, { done: number; total: number }>;

  constructor(
    readonly deps: TrainingDeps,
    readonly run: TrainingRunRow,
    readonly params: RunParams,
    readonly evaluator: EvaluatorRow,
    readonly state: RunState,
    readonly iterations: IterationRecord[],
  ) {
    this.log = deps.logger.child({ training_run: run.id });
    this.deadline = Date.now() + deps.timing.sliceMs;
    this.progress = { ...run.progress };
    if (run.cancelRequested) this.stop("cancel");
  }

  get runId(): string {
    return this.run.id;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  llmFor(purpose: Purpose): LlmClient {
    return meteredLlm(this.deps.llm, this.usage, purpose);
  }

  shouldStop(): boolean {
    if (!this.cause && this.progressed && Date.now() >= this.deadline) this.cause = "slice";
    // A spent call budget implies finished items (calls happen inside items that then finish).
    if (!this.cause && this.deps.sliceEnds?.()) this.cause = "slice";
    return this.cause !== null;
  }

  /** Records that this slice finished a unit of work (an item, a poll). */
  noteProgress(): void {
    this.progressed = true;
  }

  /** Runs `fn` over `source` with the run's concurrency, stopping between items when asked to. */
  async forEachItem<T>(source: AsyncIterable<T>, fn: (item: T) => Promise<void>): Promise<{ stopped: boolean }> {
    return forEachConcurrent(source, this.params.concurrency, () => this.shouldStop(), async (item) => {
      await fn(item);
      this.progressed = true;
    });
  }

  stopCause(): StopCause | null {
    this.shouldStop();
    return this.cause;
  }

  /** A slice end lets items in flight finish; a cancel or a lost lease also aborts them. */
  stop(cause: StopCause): void {
    if (this.cause === "cancel" || this.cause === "lease_lost") return;
    this.cause = cause;
    if (cause !== "slice") this.abort.abort(new Error(`training run stopping: ${cause}`));
  }

  startHeartbeat(): void {
    const beat = async () => {
      if (this.closed) return;
      try {
        const lease = await renewLease(this.deps.db, this.run.id, this.deps.workerId, this.deps.timing.leaseSeconds);
        if (!lease) this.stop("lease_lost");
        else if (lease.cancelRequested) this.stop("cancel");
        await this.flushUsage();
      } catch (err) {
        this.log.warn({ err: errorForLog(err) }, "training heartbeat failed");
      }
      if (!this.closed) this.timer = setTimeout(() => void beat(), this.deps.timing.heartbeatMs);
    };
    this.timer = setTimeout(() => void beat(), this.deps.timing.heartbeatMs);
  }

  async flushUsage(): Promise<void> {
    const batch = this.usage.drain();
    try {
      await addRunUsage(this.deps.db, this.run.id, batch);
    } catch (err) {
      this.usage.restore(batch);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.flushUsage().catch((err) => this.log.warn({ err: errorForLog(err) }, "could not flush token usage"));
  }

  /** Persists state, iteration records and progress (the lease holder is the only writer). */
  async save(extra: { currentStep?: Step | null; iteration?: number } = {}): Promise<void> {
    await updateRun(
      this.deps.db,
      this.run.id,
      {
        state: this.state,
        iterations: this.iterations,
        progress: this.progress,
        ...(extra.currentStep !== undefined ? { currentStep: extra.currentStep } : {}),
        ...(extra.iteration !== undefined ? { iteration: extra.iteration } : {}),
      },
      this.deps.clock.now(),
      this.deps.workerId,
    );
  }

  async setProgress(step: Step, done: number, total: number): Promise<void> {
    this.progress[step] = { done, total };
    await updateRun(this.deps.db, this.run.id, { progress: this.progress }, this.deps.clock.now(), this.deps.workerId);
  }
}
