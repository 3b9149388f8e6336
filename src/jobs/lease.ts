import type { Logger } from "../lib/logger";

/**
 * Leases of background work (issue 14). A run or evaluation is worked by the instance whose lease
 * row is in the future; the holder renews it by heartbeat, and any instance may take over a lease
 * that lapsed. Expiry is judged by the database clock in the queries; this side only decides when
 * to renew and when to give up.
 */
export interface LeaseTiming {
  /** How long a lease lasts after each renewal. */
  ms: number;
  /** How often the holder renews. */
  renewMs: number;
}

export type LeaseLoss = "taken" | "lapsed";

export interface Timers {
  /** Milliseconds on a monotonic-enough clock (Date.now in production, a fake in tests). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * What a holder must conclude after a renewal attempt at `now`: still held, taken by someone
 * else (the renewal found another owner), or lapsed (renewals kept failing for a whole lease,
 * so another instance may already be working: stop rather than race it).
 */
export function leaseAfterRenewal(r: { renewed: boolean | "error"; now: number; lastRenewedAt: number; leaseMs: number }): "held" | LeaseLoss {
  if (r.renewed === true) return "held";
  if (r.renewed === false) return "taken";
  return r.now - r.lastRenewedAt >= r.leaseMs ? "lapsed" : "held";
}

/**
 * Renews a lease every `renewMs` until stopped. `renew` resolves true while this instance holds
 * it, false once it does not; a throw (database blip) is retried on the next beat until a whole
 * lease went by without a renewal. `onLost` is called once.
 */
export function keepLease(o: {
  renew: () => Promise<boolean>;
  timing: LeaseTiming;
  onLost: (why: LeaseLoss) => void;
  logger?: Logger;
  timers?: Timers;
}): { stop(): void } {
  const t = o.timers ?? realTimers;
  let lastRenewedAt = t.now();
  let stopped = false;
  let handle: unknown = null;
  const beat = async () => {
    if (stopped) return;
    let renewed: boolean | "error";
    try {
      renewed = await o.renew();
    } catch (err) {
      o.logger?.warn({ err: String(err) }, "lease renewal failed");
      renewed = "error";
    }
    if (stopped) return;
    const now = t.now();
    const state = leaseAfterRenewal({ renewed, now, lastRenewedAt, leaseMs: o.timing.ms });
    if (renewed === true) lastRenewedAt = now;
    if (state !== "held") {
      stopped = true;
      o.onLost(state);
      return;
    }
    handle = t.setTimeout(() => void beat(), o.timing.renewMs);
  };
  handle = t.setTimeout(() => void beat(), o.timing.renewMs);
  return {
    stop() {
      stopped = true;
      if (handle !== null) t.clearTimeout(handle);
    },
  };
}
