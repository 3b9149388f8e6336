import type { Command } from "commander";
import { unwrap } from "../../client";
import { clientFor, print, type CommandContext } from "../context";
import { details, table } from "../format";

const VERSION_COLUMNS = ["name", "status", "model", "iteration", "created_at", "activated_at"];

export function registerVersionsCommands(program: Command, ctx: CommandContext): void {
  const versions = program
    .command("versions")
    .description("List, inspect, activate and roll back judge versions")
    .addHelpText("after", "\nExample:\n  $ selfjudge versions list --evaluator default\n  $ selfjudge versions rollback --reason \"v4 regressed on code\"");

  versions
    .command("list")
    .description("Every version of an evaluator, newest first")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .option("--status <status>", "candidate | active | retired | rejected")
    .addHelpText("after", "\nExample:\n  $ selfjudge versions list --status candidate --json")
    .action(async (o: { evaluator?: string; status?: "candidate" | "active" | "retired" | "rejected" }, cmd: Command) => {
      const body = await unwrap(
        clientFor(ctx, cmd).api.v1.versions.$get({
          query: { ...(o.evaluator ? { evaluator: o.evaluator } : {}), ...(o.status ? { status: o.status } : {}) },
        }),
      );
      print(ctx, cmd, body, () => table(body.data, VERSION_COLUMNS));
    });

  versions
    .command("show")
    .description("One version by name (v3) or id; `active` for the active one")
    .argument("<version>")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .addHelpText("after", "\nExample:\n  $ selfjudge versions show v3")
    .action(async (version: string, o: { evaluator?: string }, cmd: Command) => {
      const api = clientFor(ctx, cmd).api.v1.versions;
      const query = o.evaluator ? { evaluator: o.evaluator } : {};
      const body =
        version === "active"
          ? await unwrap(api.active.$get({ query }))
          : await unwrap(api[":id"].$get({ param: { id: version }, query }));
      print(ctx, cmd, body, () =>
        details(body as unknown as Record<string, unknown>, [
          "name",
          "id",
          "evaluator",
          "status",
          "model",
          "base_url",
          "params",
          "iteration",
          "training_run_id",
          "notes",
          "created_at",
          "activated_at",
        ]),
      );
    });

  versions
    .command("activate")
    .description("Make a version the active one")
    .argument("<version>")
    .requiredOption("--reason <text>", "why (kept in the audit trail)")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .addHelpText("after", "\nExample:\n  $ selfjudge versions activate v3 --reason \"beats v2 on the held-out set\"")
    .action(async (version: string, o: { evaluator?: string; reason: string }, cmd: Command) => {
      const body = await unwrap(
        clientFor(ctx, cmd).api.v1.versions[":id"].activate.$post({
          param: { id: version },
          json: { reason: o.reason, ...(o.evaluator ? { evaluator: o.evaluator } : {}) },
        }),
      );
      print(ctx, cmd, body, () => `activated ${describeActivation(body)}\n`);
    });

  versions
    .command("rollback")
    .description("Go back to the previously active version")
    .option("--reason <text>", "why (kept in the audit trail)")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .addHelpText("after", "\nExample:\n  $ selfjudge versions rollback --reason \"v4 regressed\"")
    .action(async (o: { evaluator?: string; reason?: string }, cmd: Command) => {
      const body = await unwrap(
        clientFor(ctx, cmd).api.v1.versions.rollback.$post({
          json: { ...(o.reason ? { reason: o.reason } : {}), ...(o.evaluator ? { evaluator: o.evaluator } : {}) },
        }),
      );
      print(ctx, cmd, body, () => `rolled back: ${describeActivation(body)}\n`);
    });
}

function describeActivation(body: { version: { name: string }; previous: { name: string } | null }): string {
  return body.previous ? `${body.previous.name} → ${body.version.name}` : body.version.name;
}
