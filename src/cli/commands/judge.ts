import { Option, type Command } from "commander";
import { clientFor, globals, type CommandContext } from "../context";
import { CliError } from "../io";
import { compareRecords } from "../judge/compare-input";
import { countRecords, detectFormat, readRecords } from "../judge/input";
import { assertPositiveInt, judgeRecords, type JudgeRunOptions } from "../judge/run-judge";
import { parseGate } from "../judge/summary";
import { existsSync } from "node:fs";

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`${name} must be an integer (got "${v}")`);
  return n;
};

function judgeOptions(cmd: Command): Command {
  return cmd
    .option("-o, --out <file>", "results JSONL, one line per judged input line (resumes when it exists; - for stdout)")
    .option("--rejects <file>", "write unreadable input lines here (line number, reason, raw text)")
    .option("-e, --evaluator <name>", "evaluator (default: the server's `default`)")
    .option("--version <version>", "pin a judge version by name or id (default: the active one)")
    .option("--samples <n>", "judgments sampled per order", int("--samples"))
    .option("--no-swap", "judge one order only (no position-bias check)")
    .option("--reference-field <field>", "take a reference answer from this field (default: `reference` when present)")
    .option("--min-win-rate <side=rate>", "exit 1 when that side's win rate (ties count half) is below rate, e.g. B=0.5")
    .option("-c, --concurrency <n>", "batch requests in flight", int("--concurrency"), 4)
    .option("--batch-size <n>", "pairs per /v1/judge/batch request (max 100)", int("--batch-size"), 100)
    .option("--max-batch-bytes <n>", "keep each request body under this many bytes", int("--max-batch-bytes"), 512 * 1024)
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(["jsonl", "csv"]))
    .option("-q, --quiet", "no progress output");
}

function runOptions(cmd: Command, raw: Record<string, any>): JudgeRunOptions {
  if (raw.minWinRate !== undefined) {
    try {
      parseGate(raw.minWinRate);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  return {
    out: raw.out,
    rejects: raw.rejects,
    evaluator: raw.evaluator,
    version: raw.version,
    samples: raw.samples,
    swap: raw.swap !== false,
    referenceField: raw.referenceField,
    concurrency: assertPositiveInt("--concurrency", raw.concurrency, 64),
    batchSize: assertPositiveInt("--batch-size", raw.batchSize, 100),
    maxBatchBytes: assertPositiveInt("--max-batch-bytes", raw.maxBatchBytes),
    minWinRate: raw.minWinRate,
    json: globals(cmd).json === true,
    quiet: raw.quiet === true,
  };
}

function mustExist(path: string) {
  if (!existsSync(path)) throw new CliError(`no such file: ${path}`);
}

export function registerJudgeCommands(program: Command, ctx: CommandContext): void {
  judgeOptions(
    program
      .command("judge")
      .description("Judge a JSONL or CSV file of pairs through /v1/judge/batch")
      .argument("<file>", "JSONL or CSV: instruction (or conversation) with response_a, response_b, or conversation_a + conversation_b; optional id, metadata"),
  )
    .addHelpText(
      "after",
      `
Example:
  $ selfjudge judge pairs.jsonl --out results.jsonl --min-win-rate B=0.5
  (run it again after an interruption: pairs already in results.jsonl are skipped)

Exit codes: 0 ok, 1 the --min-win-rate check failed, 2 usage or connection error, 130 interrupted.`,
    )
    .action(async (file: string, raw: Record<string, any>, cmd: Command) => {
      const opts = runOptions(cmd, raw);
      mustExist(file);
      let format;
      try {
        format = detectFormat(file, raw.format);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const total = await countRecords(file, format);
      ctx.exitCode = await judgeRecords(ctx.io, clientFor(ctx, cmd), readRecords(file, format), total, opts);
    });

  judgeOptions(
    program
      .command("compare")
      .description("Judge two files of outputs for the same prompts against each other (A = baseline, B = new)")
      .argument("<a>", "baseline outputs: JSONL/CSV with id (optional), instruction|prompt, output|response")
      .argument("<b>", "new outputs, same prompts; joined on id, else on record order"),
  )
    .addHelpText(
      "after",
      `
Example (CI: fail when the new model's outputs lose to the old ones):
  $ selfjudge compare baseline.jsonl candidate.jsonl --min-win-rate B=0.5 --out compare.jsonl

Exit codes: 0 ok, 1 the --min-win-rate check failed, 2 usage or connection error, 130 interrupted.`,
    )
    .action(async (a: string, b: string, raw: Record<string, any>, cmd: Command) => {
      const opts = runOptions(cmd, raw);
      mustExist(a);
      mustExist(b);
      const fa = detectFormat(a, raw.format);
      const fb = detectFormat(b, raw.format);
      const total = await countRecords(a, fa);
      const records = compareRecords(a, fa, b, fb, (line) => ctx.io.stderr.write(`${line}\n`));
      ctx.exitCode = await judgeRecords(ctx.io, clientFor(ctx, cmd), records, total, { ...opts, label: "comparing" });
    });
}
