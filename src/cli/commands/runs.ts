import { Option, type Command } from "commander";
import { unwrap, type SelfjudgeClient } from "../../client";
import { clientFor, print, type CommandContext } from "../context";
import { table } from "../format";
import { CliError } from "../io";
import { renderRun } from "./runs-view";
import { evaluatorQuery, intArg, pageFooter, pageOptions, pageQuery } from "./shared";
import { watchRun } from "./train";

export function registerRunsCommands(program: Command, ctx: CommandContext): void {
  const runs = program
    .command("runs")
    .description("List, follow and cancel training runs")
    .addHelpText("after", "\nExample:\n  $ selfjudge runs list\n  $ selfjudge runs show 5b0e… --watch");

  pageOptions(
    runs
      .command("list")
      .description("Training runs, newest first")
      .option("-e, --evaluator <name>", "evaluator (default: default)")
      .option("--status <status>", "queued | running | waiting_external | completed | failed | canceled"),
  )
    .addHelpText("after", "\nExample:\n  $ selfjudge runs list --status running --json")
    .action(async (o: { evaluator?: string; status?: string; limit?: string; cursor?: string }, cmd: Command) => {
      type Query = Parameters<SelfjudgeClient["api"]["v1"]["training"]["runs"]["$get"]>[0]["query"];
      const query = { ...evaluatorQuery(o.evaluator), ...pageQuery(o), ...(o.status ? { status: o.status } : {}) } as Query;
      const body = await unwrap(clientFor(ctx, cmd).api.v1.training.runs.$get({ query }));
      const rows = body.data.map((r) => ({
        id: r.id,
        status: r.status,
        step: r.current_step,
        iteration: `${r.iteration}/${r.iterations_total}`,
        backend: r.params.backend,
        trigger: r.trigger,
        created_at: r.created_at,
      }));
      print(ctx, cmd, body, () => table(rows, ["id", "status", "step", "iteration", "backend", "trigger", "created_at"]) + pageFooter(body.next_cursor));
    });

  runs
    .command("show")
    .description("A run: status, step, progress, token usage and each iteration's candidate and gate decision")
    .argument("<id>")
    .option("--watch", "follow it until it ends")
    .option("-q, --quiet", "with --watch: no progress output")
    .addHelpText("after", "\nExample:\n  $ selfjudge runs show 5b0e… --watch")
    .action(async (id: string, o: { watch?: boolean; quiet?: boolean }, cmd: Command) => {
      const client = clientFor(ctx, cmd);
      if (o.watch) return watchRun(ctx, cmd, client, id, o.quiet === true);
      const body = await unwrap(client.api.v1.training.runs[":id"].$get({ param: { id } }));
      print(ctx, cmd, body, () => renderRun(body));
    });

  runs
    .command("cancel")
    .description("Cancel a run (it stops between items)")
    .argument("<id>")
    .addHelpText("after", "\nExample:\n  $ selfjudge runs cancel 5b0e…\n\nExit codes: 0 canceled or cancel requested, 2 unknown run, already ended (409) or connection error.")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const body = await unwrap(clientFor(ctx, cmd).api.v1.training.runs[":id"].cancel.$post({ param: { id } }));
      print(ctx, cmd, body, () => `run ${body.id} ${body.status}${body.cancel_requested && body.status !== "canceled" ? " (cancel requested)" : ""}\n`);
    });
}

export function registerExportCommand(program: Command, ctx: CommandContext): void {
  program
    .command("export")
    .description("Write a training run's data as JSONL to stdout (sft: chat fine-tuning lines; dpo: preference lines)")
    .argument("<run>", "training run id")
    .addOption(new Option("--format <format>", "sft | dpo").choices(["sft", "dpo"]).default("sft"))
    .option("--iteration <n>", "which iteration (default: the run's current one)", intArg("--iteration", 1, 10))
    .addHelpText(
      "after",
      `
Example:
  $ selfjudge export 5b0e… --format dpo > dpo.jsonl

Exit codes: 0 written, 2 unknown run, data not selected yet (409) or connection error.`,
    )
    .action(async (run: string, o: { format: "sft" | "dpo"; iteration?: number }, cmd: Command) => {
      const res = await clientFor(ctx, cmd).api.v1.training.runs[":id"].dataset.$get({
        param: { id: run },
        query: { format: o.format, ...(o.iteration !== undefined ? { iteration: String(o.iteration) } : {}) },
      });
      // JSONL, not JSON: unwrap only for errors, then stream the body through.
      if (!res.ok) await unwrap(res);
      const body = (res as unknown as Response).body;
      if (!body) throw new CliError("the server sent no body");
      let lines = 0;
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        for (const b of chunk) if (b === 10) lines++;
        if (!ctx.io.stdout.write(chunk)) await new Promise((r) => ctx.io.stdout.once("drain", r));
      }
      ctx.io.stderr.write(`exported ${lines} ${o.format} lines of run ${run}\n`);
    });
}
