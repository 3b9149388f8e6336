import { ApiError } from "../lib/errors";

/**
 * The background-work seam. Routes enqueue; a runner (pg-boss) executes. Work state itself lives
 * in our own tables, so a job is only a "go and continue X" signal and handlers are idempotent.
 */
export interface JobQueue {
  /** Declares a queue; call before send/work. Idempotent. */
  ensureQueue(name: string, opts?: QueueOptions): Promise<void>;
  send(name: string, data: Record<string, unknown>, opts?: SendOptions): Promise<string | null>;
  work<T extends Record<string, unknown>>(
    name: string,
    handler: (data: T, job: JobContext) => Promise<void>,
    opts?: WorkOptions,
  ): Promise<void>;
  /** Cron schedule that sends `data` to `name`. */
  schedule(name: string, cron: string, data?: Record<string, unknown>): Promise<void>;
  /**
   * Stops the work behind `singletonKey` at once, where the scheduler can (Workflows: terminate
   * the instance). Absent where it cannot (pg-boss: handlers notice the cancel flag themselves).
   */
  cancel?(name: string, singletonKey: string): Promise<void>;
  /**
   * Fails the job behind `singletonKey` that is still marked active although its worker is gone
   * (its lease lapsed), so a `stately` queue lets the next job for that key start now instead of
   * after the scheduler's own heartbeat check. Absent where the scheduler needs no help.
   */
  failActive?(name: string, singletonKey: string): Promise<number>;
  stop(): Promise<void>;
  /** Aborted when stop() begins (the lease watch stops with it). */
  readonly stopping?: AbortSignal;
  /** Jobs waiting and running per queue (metrics); optional for runners that cannot tell. */
  depth?(): Promise<Array<{ queue: string; queued: number; active: number }>>;
}

export interface JobContext {
  id: string;
  /** Aborted when this instance begins shutting down: checkpoint, hand the work back, return. */
  signal: AbortSignal;
}

export interface QueueOptions {
  /**
   * pg-boss queue policy. `stately`: per singletonKey at most one job waiting and one active, so
   * a run is never worked by two jobs at once and a "continue" sent while it runs waits its turn.
   */
  policy?: "standard" | "stately";
  /** A job whose worker stops heartbeating for this long is handed to another worker. */
  heartbeatSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInSeconds?: number;
}

export interface SendOptions {
  /** The job's key: on a `stately` queue at most one waiting and one active job per key (a second send is a no-op). */
  singletonKey?: string;
  startAfterSeconds?: number;
}

export interface WorkOptions {
  localConcurrency?: number;
  pollingIntervalSeconds?: number;
}

/**
 * The job queue, or the one 503 problem every caller that needs background work gives on an
 * instance without a job runner (JOBS_ENABLED=false, or the Worker).
 */
export function requireJobs(jobs: JobQueue | undefined): JobQueue {
  if (!jobs) throw new ApiError("service_unavailable", "background jobs are disabled on this instance (JOBS_ENABLED=false)");
  return jobs;
}
