import { Option, type Command } from "commander";
import { openAsBlob } from "node:fs";
import { extname } from "node:path";
import { unwrap, type SelfjudgeClient } from "../../client";
import { clientFor, print, type CommandContext } from "../context";
import { details, table } from "../format";
import { CliError } from "../io";
import { evaluatorQuery, mustExist, pageFooter, pageOptions, pageQuery } from "./shared";

type ImportQuery = Parameters<SelfjudgeClient["api"]["v1"]["datasets"]["$post"]>[0]["query"];

/** The server's formats; `satisfies` keeps this list within the route's schema at compile time. */
const FORMATS = ["rewardbench", "judgebench", "mt-bench-human", "rm-bench", "pairs"] as const satisfies readonly ImportQuery["format"][];

const MEDIA: Record<string, string> = {
  ".jsonl": "application/x-ndjson",
  ".ndjson": "application/x-ndjson",
  ".json": "application/json",
  ".parquet": "application/vnd.apache.parquet",
};

export function mediaTypeOf(file: string): string {
  const type = MEDIA[extname(file).toLowerCase()];
  if (!type) throw new CliError(`cannot tell the file type of ${file}: name it .jsonl, .json or .parquet`);
  return type;
}

const COLUMNS = ["name", "format", "items", "received", "duplicates", "created_at"];

export function registerDatasetsCommands(program: Command, ctx: CommandContext): void {
  const datasets = program
    .command("datasets")
    .description("Import benchmark files (RewardBench, JudgeBench, MT-Bench human, RM-Bench, plain pairs) and list them")
    .addHelpText(
      "after",
      "\nExample:\n  $ selfjudge datasets import filtered.parquet --format rewardbench --name rewardbench\n  $ selfjudge eval run --version v2 --dataset rewardbench --watch",
    );

  datasets
    .command("import")
    .description("Upload a JSONL, JSON or Parquet file as a new named dataset (streamed from disk)")
    .argument("<file>", ".jsonl, .json or .parquet")
    .addOption(new Option("--format <format>", "the file's record layout").choices(FORMATS).makeOptionMandatory())
    .requiredOption("--name <name>", "dataset name, unique per evaluator")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .addHelpText(
      "after",
      `
Example:
  $ selfjudge datasets import judgebench.jsonl --format judgebench --name judgebench-gpt

All or nothing: a bad record fails the import naming its line and field, and nothing is kept.
Exit codes: 0 imported, 2 usage, invalid file, name taken or connection error.`,
    )
    .action(async (file: string, o: { format: ImportQuery["format"]; name: string; evaluator?: string }, cmd: Command) => {
      mustExist(file);
      const type = mediaTypeOf(file);
      // A file-backed Blob: sent without reading the file into memory, and re-readable if the client retries.
      const blob = await openAsBlob(file, { type });
      const body = await unwrap(
        clientFor(ctx, cmd).api.v1.datasets.$post(
          { query: { name: o.name, format: o.format, ...evaluatorQuery(o.evaluator) } },
          { headers: { "content-type": type }, init: { body: blob } },
        ),
      );
      print(ctx, cmd, body, () =>
        `imported ${body.name} (${body.format}) into ${body.evaluator}: ${body.inserted} pairs from ${body.received} records, ${body.duplicates} duplicates\n` +
        table(
          Object.entries(body.subsets).map(([subset, pairs]) => ({ subset, pairs })),
          ["subset", "pairs"],
        ),
      );
    });

  pageOptions(
    datasets.command("list").description("The evaluator's datasets, newest first").option("-e, --evaluator <name>", "evaluator (default: default)"),
  )
    .addHelpText("after", "\nExample:\n  $ selfjudge datasets list --json")
    .action(async (o: { evaluator?: string; limit?: string; cursor?: string }, cmd: Command) => {
      const body = await unwrap(
        clientFor(ctx, cmd).api.v1.datasets.$get({ query: { ...evaluatorQuery(o.evaluator), ...pageQuery(o) } }),
      );
      print(ctx, cmd, body, () => table(body.data, COLUMNS) + pageFooter(body.next_cursor));
    });

  datasets
    .command("show")
    .description("A dataset with its pairs per subset")
    .argument("<name>")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .addHelpText("after", "\nExample:\n  $ selfjudge datasets show rewardbench")
    .action(async (name: string, o: { evaluator?: string }, cmd: Command) => {
      const body = await unwrap(clientFor(ctx, cmd).api.v1.datasets[":name"].$get({ param: { name }, query: evaluatorQuery(o.evaluator) }));
      print(ctx, cmd, body, () =>
        details(body as unknown as Record<string, unknown>, ["name", "id", "format", "items", "received", "duplicates", "created_at"]) +
        "\n" +
        table(
          Object.entries(body.subsets).map(([subset, pairs]) => ({ subset, pairs })),
          ["subset", "pairs"],
        ),
      );
    });
}
