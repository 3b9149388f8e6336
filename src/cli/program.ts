/**
 * The `selfjudge` command line: commander program over the typed client. `runCli` returns the
 * exit code instead of exiting, so tests and the entry (main.ts) share it.
 */
import { Command, CommanderError } from "commander";
import { SelfjudgeConnectionError, SelfjudgeError } from "../client";
import { registerAdminCommands } from "./commands/admin";
import { registerJudgeCommands } from "./commands/judge";
import type { CommandContext } from "./context";
import { CliError, EXIT, type CliIo } from "./io";

export const CLI_VERSION = "0.1.0";

export function createProgram(ctx: CommandContext): Command {
  const program = new Command()
    .name("selfjudge")
    .description("Judge pairs, gate CI on the verdicts, and drive versions and training of a selfjudge server.")
    // No program-level --version option: commander reads program options anywhere on the line, so
    // it would swallow the subcommands' own --version (judge --version v3, eval run --version v3).
    // runCli answers a lone `selfjudge --version` itself.
    .option("--url <url>", "server base URL (default: SELFJUDGE_URL, else http://127.0.0.1:8787)")
    .option("--api-key <key>", "API key (default: SELFJUDGE_API_KEY)")
    .option("--json", "machine-readable output on stdout")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Example:
  $ export SELFJUDGE_URL=http://127.0.0.1:8787 SELFJUDGE_API_KEY=...
  $ selfjudge judge pairs.jsonl --out results.jsonl --min-win-rate B=0.5

Exit codes: 0 ok, 1 a check failed, 2 usage or connection error, 130 interrupted.
selfjudge --version prints the CLI version.`,
    );
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => ctx.io.stdout.write(s),
    writeErr: (s) => ctx.io.stderr.write(s),
  });
  registerJudgeCommands(program, ctx);
  registerAdminCommands(program, ctx);
  // Subcommands inherit the override and output, so usage errors exit 2 everywhere.
  for (const c of program.commands) {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) });
    for (const sub of c.commands) {
      sub.exitOverride();
      sub.configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) });
    }
  }
  return program;
}

export async function runCli(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const ctx: CommandContext = { io, env, exitCode: EXIT.ok };
  const program = createProgram(ctx);
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    io.stdout.write(`${CLI_VERSION}\n`);
    return EXIT.ok;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      io.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof SelfjudgeConnectionError) {
      io.stderr.write(`error: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof SelfjudgeError) {
      io.stderr.write(`error: ${err.status} ${err.title}: ${err.detail}\n`);
      // Field errors (422): every bad field or line, so a file can be fixed in one go.
      const errors = Array.isArray(err.body.errors) ? (err.body.errors as Array<{ path?: unknown; message?: unknown }>) : [];
      for (const e of errors.slice(0, 20)) io.stderr.write(`  ${String(e.path ?? "")}: ${String(e.message ?? "")}\n`);
      if (errors.length > 20) io.stderr.write(`  … and ${errors.length - 20} more\n`);
      if (globalsJson(argv)) io.stdout.write(`${JSON.stringify({ error: err.body })}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

function globalsJson(argv: string[]): boolean {
  return argv.includes("--json");
}
