import { describe, expect, it } from "vitest";
import { keepLease, leaseAfterRenewal, type LeaseLoss, type Timers } from "../../src/jobs/lease";

/** Timers on a clock the test moves: setTimeout callbacks run when `advance` passes their time. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++seq;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  return {
    timers,
    /** Moves the clock forward in steps, running due callbacks and letting their promises settle. */
    async advance(ms: number, step = 100) {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + step);
        for (const [id, t] of [...pending]) {
          if (t.at <= now) {
            pending.delete(id);
            t.fn();
          }
        }
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
    },
  };
}

const TIMING = { ms: 6000, renewMs: 1000 };

describe("leaseAfterRenewal", () => {
  it("a renewal keeps the lease, a renewal that finds another owner loses it at once", () => {
    expect(leaseAfterRenewal({ renewed: true, now: 50_000, lastRenewedAt: 0, leaseMs: 6000 })).toBe("held");
    expect(leaseAfterRenewal({ renewed: false, now: 1000, lastRenewedAt: 0, leaseMs: 6000 })).toBe("taken");
  });

  it("failed renewals (database unreachable) keep working until a whole lease went by without one", () => {
    expect(leaseAfterRenewal({ renewed: "error", now: 5999, lastRenewedAt: 0, leaseMs: 6000 })).toBe("held");
    expect(leaseAfterRenewal({ renewed: "error", now: 6000, lastRenewedAt: 0, leaseMs: 6000 })).toBe("lapsed");
  });
});

describe("keepLease", () => {
  it("renews about every renewMs while the holder keeps it, and stops renewing when stopped", async () => {
    const clock = fakeTimers();
    let renewals = 0;
    const lost: LeaseLoss[] = [];
    const keeper = keepLease({ renew: async () => (renewals++, true), timing: TIMING, onLost: (w) => lost.push(w), timers: clock.timers });
    await clock.advance(10_000);
    expect(renewals).toBe(10);
    keeper.stop();
    await clock.advance(5000);
    expect(renewals).toBe(10);
    expect(lost).toEqual([]);
  });

  it("reports 'taken' on the first renewal that finds another owner (another instance took over)", async () => {
    const clock = fakeTimers();
    let calls = 0;
    const lost: LeaseLoss[] = [];
    keepLease({ renew: async () => ++calls < 3, timing: TIMING, onLost: (w) => lost.push(w), timers: clock.timers });
    await clock.advance(10_000);
    expect(lost).toEqual(["taken"]);
    expect(calls).toBe(3);
  });

  it("rides out a short database blip, but gives up once the lease could have lapsed", async () => {
    const clock = fakeTimers();
    let failing = false;
    const lost: Array<{ why: LeaseLoss; at: number }> = [];
    const renew = async () => {
      if (failing) throw new Error("connection refused");
      return true;
    };
    keepLease({ renew, timing: TIMING, onLost: (why) => lost.push({ why, at: clock.timers.now() }), timers: clock.timers });
    await clock.advance(3000);
    failing = true;
    await clock.advance(3000);
    failing = false;
    await clock.advance(3000);
    expect(lost).toEqual([]);
    failing = true;
    const since = clock.timers.now();
    await clock.advance(10_000);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.why).toBe("lapsed");
    // Last good renewal at `since`; it gives up at the first beat a whole lease after it.
    expect(lost[0]!.at - since).toBeGreaterThanOrEqual(TIMING.ms);
    expect(lost[0]!.at - since).toBeLessThanOrEqual(TIMING.ms + TIMING.renewMs);
  });
});
