/** What a command needs from the process, injected so commands stay testable and entry-free. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Ctrl-C once: stop taking new work, finish what is in flight. */
  stop: AbortSignal;
  /** Ctrl-C twice: abort requests in flight. */
  hardStop: AbortSignal;
}

export const EXIT = { ok: 0, checkFailed: 1, usage: 2, interrupted: 130 } as const;

/** A failure the user must fix (bad flag, unreachable server, wrong key): exit code 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = "CliError";
  }
}
