/**
 * Entry of the `selfjudge` binary (bundled to dist/cli.js by scripts/build.mjs). Wires the
 * process (argv, env, stdio, Ctrl-C) to runCli and exits with its code.
 */
import { setFlagsFromString } from "node:v8";
import { runCli } from "./program";

// The CLI streams: what it keeps is flat in the file's size (the ids seen), but at full speed V8
// let its heap grow with the garbage of the lines flowing through (peak RSS 126 MB at 100,000
// lines, 87 MB at 10,000). Size-optimised heap growth keeps it at ~94 MB at the same speed
// (bench:cli). Set before any work starts; it only changes heuristics, never correctness.
setFlagsFromString("--optimize-for-size");

const stop = new AbortController();
const hardStop = new AbortController();
process.on("SIGINT", () => {
  if (!stop.signal.aborted) {
    process.stderr.write("\nstopping: finishing the requests in flight (Ctrl-C again to abort them)\n");
    stop.abort();
  } else {
    hardStop.abort();
    // Whatever still holds the process after its requests were aborted gets two seconds.
    setTimeout(() => process.exit(130), 2000).unref();
  }
});
process.on("SIGTERM", () => {
  stop.abort();
});
// A closed pipe (`selfjudge ... | head`) is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stop: stop.signal, hardStop: hardStop.signal }, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`selfjudge: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
