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
    handler: (data: T, job: { id: string }) => Promise<void>,
    opts?: WorkOptions,
  ): Promise<void>;
  /** Cron schedule that sends `data` to `name`. */
  schedule(name: string, cron: string, data?: Record<string, unknown>): Promise<void>;
  /**
   * Stops the work behind `singletonKey` at once, where the scheduler can (Workflows: terminate
   * the instance). Absent where it cannot (pg-boss: handlers notice the cancel flag themselves).
   */
  cancel?(name: string, singletonKey: string): Promise<void>;
  stop(): Promise<void>;
  /** Jobs waiting and running per queue (metrics); optional for runners that cannot tell. */
  depth?(): Promise<Array<{ queue: string; queued: number; active: number }>>;
}

export interface QueueOptions {
  /** A job whose worker stops heartbeating for this long is handed to another worker. */
  heartbeatSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInSeconds?: number;
}

export interface SendOptions {
  /** At most one queued-or-active job per key. */
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
