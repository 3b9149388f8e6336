/**
 * Progress on stderr: a bar with rate and ETA on a terminal (cli-progress), plain lines every
 * few seconds otherwise (CI logs). Speaks to the terminal only.
 */
import { Presets, SingleBar } from "cli-progress";

export interface Progress {
  start(total: number, initial: number): void;
  update(done: number, failed: number): void;
  stop(): void;
}

const fmtSecs = (s: number) => {
  if (!Number.isFinite(s) || s < 0) return "?";
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, "0")}m`;
};

export function createProgress(opts: { stream: NodeJS.WriteStream; tty: boolean; label: string; quiet?: boolean; intervalMs?: number }): Progress {
  if (opts.quiet) return { start() {}, update() {}, stop() {} };
  let startedAt = 0;
  let initial = 0;
  let total = 0;
  const rate = (done: number) => {
    const secs = (performance.now() - startedAt) / 1000;
    return secs > 0 ? (done - initial) / secs : 0;
  };

  if (opts.tty) {
    const bar = new SingleBar(
      {
        stream: opts.stream,
        format: `${opts.label} {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_h} | failed {failed}`,
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
        etaBuffer: 200,
      },
      Presets.shades_classic,
    );
    return {
      start(t, i) {
        total = t;
        initial = i;
        startedAt = performance.now();
        bar.start(t, i, { rate: "0.0", failed: 0, eta_h: "?" });
      },
      update(done, failed) {
        const r = rate(done);
        bar.update(done, { rate: r.toFixed(1), failed, eta_h: r > 0 ? fmtSecs((total - done) / r) : "?" });
      },
      stop() {
        bar.stop();
      },
    };
  }

  const every = opts.intervalMs ?? 2000;
  let last = 0;
  let printed = -1;
  let latest = { done: 0, failed: 0 };
  const line = () => {
    const { done, failed } = latest;
    const r = rate(done);
    const pct = total ? ` (${((done / total) * 100).toFixed(1)}%)` : "";
    const eta = r > 0 ? fmtSecs((total - done) / r) : "?";
    opts.stream.write(`${opts.label} ${done}/${total}${pct} ${r.toFixed(1)}/s ETA ${eta} failed ${failed}\n`);
    printed = done;
  };
  return {
    start(t, i) {
      total = t;
      initial = i;
      startedAt = performance.now();
      last = startedAt;
      latest = { done: i, failed: 0 };
      line();
    },
    update(done, failed) {
      latest = { done, failed };
      const now = performance.now();
      if (now - last >= every) {
        last = now;
        line();
      }
    },
    stop() {
      if (latest.done !== printed) line();
    },
  };
}
