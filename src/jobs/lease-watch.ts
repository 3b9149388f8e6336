import type { Logger } from "../lib/logger";
import type { JobQueue } from "./queue";
import { realTimers, type Timers } from "./lease";

/** One kind of leased work (training runs, evaluations) as the watch and the sweeper see it. */
export interface LeasedWork {
  /** The queue its jobs go to; the job's singletonKey is the work's id. */
  queue: string;
  /**
   * Clears the leases that lapsed on queued/running work and returns their ids. One conditional
   * UPDATE: when several instances look at once, each lapsed lease is claimed by exactly one.
   */
  claimLapsed(): Promise<string[]>;
  /** Queued/running work with no live lease (released or lapsed): the sweeper's candidates. */
  unleased(): Promise<string[]>;
  /** Sends "continue X" (a no-op on a stately queue when a job for X already waits). */
  resend(id: string): Promise<void>;
}

/**
 * Hands work whose holder died to the queue again: the dead holder's job is still marked active
 * (pg-boss would notice its missing heartbeat only at its next supervision, up to a minute later)
 * and on a stately queue it blocks the next job for the same key, so it is failed first.
 */
export async function takeOverLapsed(jobs: JobQueue, work: LeasedWork, logger: Logger): Promise<string[]> {
  const ids = await work.claimLapsed();
  for (const id of ids) {
    const failed = (await jobs.failActive?.(work.queue, id)) ?? 0;
    await work.resend(id);
    logger.warn({ queue: work.queue, id, failed_jobs: failed }, "lease lapsed: handed the work to the next free instance");
  }
  return ids;
}

/**
 * The sweeper's pass: lapsed leases are taken over as above, and work that is queued or running
 * with no lease at all (its job failed or was lost after pg-boss gave up) gets a job again. The
 * stately queue makes the send a no-op where a job already waits, so this never piles up jobs.
 */
export async function sweep(jobs: JobQueue, work: LeasedWork, logger: Logger): Promise<{ tookOver: number; resent: number }> {
  const tookOver = (await takeOverLapsed(jobs, work, logger)).length;
  let resent = 0;
  for (const id of await work.unleased()) {
    await work.resend(id);
    resent += 1;
  }
  return { tookOver, resent };
}

/**
 * Runs `takeOverLapsed` every `intervalMs` on this instance until `signal` aborts. Every instance
 * runs one, so takeover does not wait for a particular instance; the claim keeps them from
 * doubling up.
 */
export function startLeaseWatch(o: {
  jobs: JobQueue;
  works: LeasedWork[];
  intervalMs: number;
  logger: Logger;
  signal?: AbortSignal;
  timers?: Timers;
}): { stop(): void } {
  const t = o.timers ?? realTimers;
  let stopped = false;
  let handle: unknown = null;
  const tick = async () => {
    for (const work of o.works) {
      if (stopped) return;
      try {
        await takeOverLapsed(o.jobs, work, o.logger);
      } catch (err) {
        if (!stopped) o.logger.warn({ queue: work.queue, err: String(err) }, "lease watch failed");
      }
    }
    if (!stopped) handle = t.setTimeout(() => void tick(), o.intervalMs);
  };
  const stop = () => {
    stopped = true;
    if (handle !== null) t.clearTimeout(handle);
  };
  o.signal?.addEventListener("abort", stop, { once: true });
  handle = t.setTimeout(() => void tick(), o.intervalMs);
  return { stop };
}
