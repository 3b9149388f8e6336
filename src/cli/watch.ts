/**
 * `--watch` for server-side jobs (evaluations, training runs): polls until the job ends and shows
 * its progress on stderr — a bar on a terminal, a plain line per change (or every few seconds)
 * otherwise. Ctrl-C stops watching only; the job goes on on the server.
 */
import { Presets, SingleBar } from "cli-progress";
import type { CliIo } from "./io";

export interface WatchView {
  /** What is happening, e.g. "evaluating" or "iteration 1/2 annotate". */
  label: string;
  done: number;
  total: number;
  /** The job has ended (completed, failed, canceled, or waiting on someone else). */
  ended: boolean;
}

export interface WatchOptions<T> {
  io: CliIo;
  poll: () => Promise<T>;
  view: (job: T) => WatchView;
  intervalMs?: number;
  /** Plain-line mode: repeat an unchanged line at most this often. */
  quietMs?: number;
  quiet?: boolean;
}

/** The job's last state; `interrupted` when Ctrl-C stopped the watching first. */
export async function watchJob<T>(o: WatchOptions<T>): Promise<{ job: T; interrupted: boolean }> {
  const every = o.intervalMs ?? 1000;
  const tty = o.io.stderr.isTTY === true && !o.quiet;
  const bar = tty
    ? new SingleBar(
        { stream: o.io.stderr, format: "{label} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted}", hideCursor: true, fps: 5, etaBuffer: 50 },
        Presets.shades_classic,
      )
    : undefined;
  let barLabel: string | undefined;
  let lastLine = "";
  let lastLineAt = 0;
  const show = (v: WatchView) => {
    if (o.quiet) return;
    if (bar) {
      if (barLabel !== v.label) {
        if (barLabel !== undefined) bar.stop();
        bar.start(Math.max(v.total, 1), v.done, { label: v.label });
        barLabel = v.label;
      } else {
        bar.setTotal(Math.max(v.total, 1));
        bar.update(v.done, { label: v.label });
      }
      return;
    }
    const line = v.total > 0 ? `${v.label} ${v.done}/${v.total} (${((v.done / v.total) * 100).toFixed(1)}%)` : v.label;
    const now = performance.now();
    if (line !== lastLine || now - lastLineAt >= (o.quietMs ?? 10_000)) {
      o.io.stderr.write(`${line}\n`);
      lastLine = line;
      lastLineAt = now;
    }
  };
  try {
    for (;;) {
      const job = await o.poll();
      const v = o.view(job);
      show(v);
      if (v.ended) return { job, interrupted: false };
      if (o.io.stop.aborted) return { job, interrupted: true };
      await sleep(every, o.io.stop);
      if (o.io.stop.aborted) return { job: await o.poll(), interrupted: true };
    }
  } finally {
    bar?.stop();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      signal.removeEventListener("abort", done);
      clearTimeout(t);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
