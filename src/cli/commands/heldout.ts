import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { unwrap } from "../../client";
import { clientFor, print, type CommandContext } from "../context";
import { table } from "../format";
import { CliError } from "../io";
import { evaluatorQuery, mustExist, pageOptions, pageQuery, pageFooter, preview } from "./shared";

/** The server's per-call limit (HELDOUT_MAX_ITEMS); larger files go in several calls. */
const CHUNK_LINES = 5000;

/**
 * The file's lines in calls of at most CHUNK_LINES items. Each chunk is padded with the blank
 * lines before it, so the server's "line N" errors name the line of the whole file (blank lines
 * are ignored by the server).
 */
export function heldoutChunks(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const chunks: string[] = [];
  let start = 0;
  let items = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "") items++;
    if (items === CHUNK_LINES || i === lines.length - 1) {
      if (items > 0) chunks.push("\n".repeat(start) + lines.slice(start, i + 1).join("\n") + "\n");
      start = i + 1;
      items = 0;
    }
  }
  return chunks;
}

export function registerHeldoutCommands(program: Command, ctx: CommandContext): void {
  const heldout = program
    .command("heldout")
    .description("Import and list the labelled held-out pairs versions are evaluated on")
    .addHelpText("after", "\nExample:\n  $ selfjudge heldout import labelled.jsonl\n  $ selfjudge heldout list --label A --json");

  heldout
    .command("import")
    .description("Import a JSONL file of labelled pairs (instruction, response_a, response_b, label A|B|tie, optional category, source, note)")
    .argument("<file>", "JSON Lines, one pair per line")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .addHelpText(
      "after",
      `
Example:
  $ selfjudge heldout import labelled.jsonl --evaluator support
  imported 250 pairs into support (received 250, duplicates 0)

A bad line fails its call of up to ${CHUNK_LINES} lines with every bad line number, and nothing of that call is
stored; pairs already present are skipped, so running the same import again after a fix is safe.
Exit codes: 0 ok, 2 usage, invalid file or connection error.`,
    )
    .action(async (file: string, o: { evaluator?: string }, cmd: Command) => {
      mustExist(file);
      const chunks = heldoutChunks(await readFile(file, "utf8"));
      if (chunks.length === 0) throw new CliError(`${file} holds no pair`);
      const client = clientFor(ctx, cmd);
      const total = { evaluator: o.evaluator ?? "default", received: 0, inserted: 0, duplicates: 0 };
      for (const body of chunks) {
        const r = await unwrap(
          client.api.v1.heldout.$post(
            { query: evaluatorQuery(o.evaluator) },
            { headers: { "content-type": "application/x-ndjson" }, init: { body } },
          ),
        );
        total.evaluator = r.evaluator;
        total.received += r.received;
        total.inserted += r.inserted;
        total.duplicates += r.duplicates;
      }
      print(ctx, cmd, total, () => `imported ${total.inserted} pairs into ${total.evaluator} (received ${total.received}, duplicates ${total.duplicates})\n`);
    });

  pageOptions(
    heldout
      .command("list")
      .description("The held-out set, newest first")
      .option("-e, --evaluator <name>", "evaluator (default: default)")
      .option("--source <source>", "synthetic | human | import")
      .option("--category <category>")
      .option("--label <label>", "A | B | tie"),
  )
    .addHelpText("after", "\nExample:\n  $ selfjudge heldout list --source human --limit 20")
    .action(async (o: { evaluator?: string; source?: string; category?: string; label?: string; limit?: string; cursor?: string }, cmd: Command) => {
      type Query = Parameters<ReturnType<typeof clientFor>["api"]["v1"]["heldout"]["$get"]>[0]["query"];
      const query = {
        ...evaluatorQuery(o.evaluator),
        ...pageQuery(o),
        ...(o.source ? { source: o.source } : {}),
        ...(o.category ? { category: o.category } : {}),
        ...(o.label ? { label: o.label } : {}),
      } as Query;
      const body = await unwrap(clientFor(ctx, cmd).api.v1.heldout.$get({ query }));
      print(ctx, cmd, body, () =>
        table(
          body.data.map((i) => ({ ...i, instruction: preview(i.instruction) })),
          ["id", "label", "source", "category", "instruction", "created_at"],
        ) + pageFooter(body.next_cursor, `${body.total} in total`),
      );
    });
}
