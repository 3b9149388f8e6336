import type { Command } from "commander";
import { createClient, type SelfjudgeClient } from "../client";
import type { CliIo } from "./io";

/** What every command gets: the process seams, the global flags, and a client built from them. */
export interface CommandContext {
  io: CliIo;
  env: Record<string, string | undefined>;
  /** Set by an action: the process exit code. */
  exitCode: number;
}

export interface GlobalFlags {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

export function globals(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals() as GlobalFlags;
}

export function clientFor(ctx: CommandContext, cmd: Command): SelfjudgeClient {
  const g = globals(cmd);
  return createClient({ baseUrl: g.url, apiKey: g.apiKey, env: ctx.env });
}

/** `--json`: the body as one JSON document; else the human rendering. */
export function print(ctx: CommandContext, cmd: Command, body: unknown, human: () => string): void {
  ctx.io.stdout.write(globals(cmd).json ? `${JSON.stringify(body, null, 2)}\n` : human());
}
