import { Option, type Command } from "commander";
import { unwrap, type SelfjudgeClient } from "../../client";
import { clientFor, globals, print, type CommandContext } from "../context";
import { CliError, EXIT } from "../io";
import { watchJob } from "../watch";
import { renderRun, runWatchView } from "./runs-view";
import { intArg, numArg } from "./shared";

type StartBody = NonNullable<Parameters<SelfjudgeClient["api"]["v1"]["training"]["runs"]["$post"]>[0]["json"]>;

/** Watches a training run to its end (or Ctrl-C), prints it, and sets the exit code. */
export async function watchRun(ctx: CommandContext, cmd: Command, client: SelfjudgeClient, id: string, quiet = false): Promise<void> {
  const { job, interrupted } = await watchJob({
    io: ctx.io,
    quiet,
    intervalMs: 500,
    poll: () => unwrap(client.api.v1.training.runs[":id"].$get({ param: { id } })),
    view: runWatchView,
  });
  print(ctx, cmd, job, () => renderRun(job));
  if (interrupted) {
    ctx.io.stderr.write(`stopped watching; run ${id} goes on on the server (selfjudge runs show ${id} --watch)\n`);
    ctx.exitCode = EXIT.interrupted;
  } else if (job.status === "failed" || job.status === "canceled") ctx.exitCode = EXIT.checkFailed;
}

function parseParams(json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new CliError(`--params is not valid JSON: ${json}`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new CliError("--params must be a JSON object");
  return v as Record<string, unknown>;
}

export function registerTrainCommands(program: Command, ctx: CommandContext): void {
  const train = program
    .command("train")
    .description("Start self-taught training runs (follow them with `selfjudge runs`)")
    .addHelpText("after", "\nExample:\n  $ selfjudge train start --sample-size 500 --watch");

  train
    .command("start")
    .description("Start a training run: curate the pool, synthesise and annotate pairs, train a candidate, evaluate and gate it")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .option("--iterations <n>", "train → evaluate → promote rounds (1–10)", intArg("--iterations", 1, 10))
    .option("--sample-size <n>", "training instructions selected from the pool", intArg("--sample-size", 1, 100_000))
    .option("--samples-per-pair <n>", "judgments sampled per pair for rejection sampling", intArg("--samples-per-pair", 2, 64))
    .addOption(new Option("--backend <backend>", "how the candidate is trained").choices(["few-shot", "openai", "external"]))
    .option("--heldout-fraction <f>", "share of the pool kept for evaluation (0–0.5)", numArg("--heldout-fraction", 0, 0.5))
    .option("--concurrency <n>", "items processed at once within a step", intArg("--concurrency", 1, 64))
    .option("--seed <n>", "fix every random choice of the run", intArg("--seed", 0, 2 ** 31 - 1))
    .option("--no-auto-promote", "never activate the candidate, even when it passes the gate")
    .option("--params <json>", 'any other run parameter as JSON, e.g. \'{"temperature":0.5,"few_shot_k":8}\'')
    .option("--watch", "show progress until the run ends, then the per-iteration table")
    .option("-q, --quiet", "with --watch: no progress output")
    .addHelpText(
      "after",
      `
Example:
  $ selfjudge train start --sample-size 200 --iterations 2 --watch
  $ selfjudge train start --backend external --params '{"heldout_size": 300}'

Exit codes: 0 started (or, with --watch, completed or waiting for an external model), 1 the run failed or was
canceled, 2 usage or connection error (409: a run is already in progress), 130 stopped watching (the run goes on).`,
    )
    .action(async (o: Record<string, any>, cmd: Command) => {
      const json = {
        ...parseParams(o.params),
        ...(o.evaluator ? { evaluator: o.evaluator } : {}),
        ...(o.iterations !== undefined ? { iterations: o.iterations } : {}),
        ...(o.sampleSize !== undefined ? { sample_size: o.sampleSize } : {}),
        ...(o.samplesPerPair !== undefined ? { samples_per_pair: o.samplesPerPair } : {}),
        ...(o.backend ? { backend: o.backend } : {}),
        ...(o.heldoutFraction !== undefined ? { heldout_fraction: o.heldoutFraction } : {}),
        ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        ...(o.autoPromote === false ? { auto_promote: false } : {}),
      } as StartBody;
      const client = clientFor(ctx, cmd);
      const run = await unwrap(client.api.v1.training.runs.$post({ json }));
      if (!o.watch) {
        print(ctx, cmd, run, () => `training run ${run.id} ${run.status} (follow it: selfjudge runs show ${run.id} --watch)\n`);
        return;
      }
      if (!globals(cmd).json && !o.quiet) ctx.io.stderr.write(`training run ${run.id}\n`);
      await watchRun(ctx, cmd, client, run.id, o.quiet === true);
    });
}
