import { Option, type Command } from "commander";
import { unwrap } from "../../client";
import { clientFor, print, type CommandContext } from "../context";
import { details, table } from "../format";
import { intArg } from "./shared";

const COLUMNS = ["id", "name", "scope", "prefix", "evaluators", "rate_limit_rpm", "token_budget_per_day", "created_at", "revoked_at"];

export function registerKeysCommands(program: Command, ctx: CommandContext): void {
  const keys = program
    .command("keys")
    .description("Create, list and revoke API keys (needs an admin key)")
    .addHelpText("after", '\nExample:\n  $ selfjudge keys create --name ci --scope judge\n  $ selfjudge keys revoke 0d9a…');

  keys
    .command("create")
    .description("Create a key; its secret is printed once")
    .requiredOption("--name <name>", "what the key is for")
    .addOption(new Option("--scope <scope>", "judge: judge and read judgments; admin: everything").choices(["judge", "admin"]).default("judge"))
    .option("--evaluators <names>", "bind a judge key to these evaluators (comma-separated)")
    .option("--rpm <n>", "requests per minute (0 = unlimited; default RATE_LIMIT_RPM)", intArg("--rpm", 0, 10_000_000))
    .option("--tokens-per-day <n>", "LLM tokens per UTC day (0 = unlimited; default TOKEN_BUDGET_PER_DAY)", intArg("--tokens-per-day", 0, 1_000_000_000_000))
    .addHelpText(
      "after",
      `
Example:
  $ selfjudge keys create --name github-ci --scope judge --evaluators default --rpm 600
  $ export SELFJUDGE_API_KEY=$(selfjudge keys create --name ci --json | jq -r .secret)`,
    )
    .action(async (o: { name: string; scope: "judge" | "admin"; evaluators?: string; rpm?: number; tokensPerDay?: number }, cmd: Command) => {
      const evaluators = o.evaluators?.split(",").map((s) => s.trim()).filter(Boolean);
      const body = await unwrap(
        clientFor(ctx, cmd).api.v1.keys.$post({
          json: {
            name: o.name,
            scope: o.scope,
            ...(evaluators?.length ? { evaluators } : {}),
            ...(o.rpm !== undefined ? { rate_limit_rpm: o.rpm } : {}),
            ...(o.tokensPerDay !== undefined ? { token_budget_per_day: o.tokensPerDay } : {}),
          },
        }),
      );
      print(ctx, cmd, body, () => `${details(body as unknown as Record<string, unknown>, ["id", "name", "scope", "evaluators", "secret"])}(the secret is shown only now)\n`);
    });

  keys
    .command("list")
    .description("Every key (secrets are never shown)")
    .addHelpText("after", "\nExample:\n  $ selfjudge keys list --json")
    .action(async (_o: unknown, cmd: Command) => {
      const body = await unwrap(clientFor(ctx, cmd).api.v1.keys.$get());
      print(ctx, cmd, body, () => table(body.data, COLUMNS));
    });

  keys
    .command("revoke")
    .description("Revoke a key by id; it stops working at once")
    .argument("<id>")
    .addHelpText("after", "\nExample:\n  $ selfjudge keys revoke 0d9a2c1e-…")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const body = await unwrap(clientFor(ctx, cmd).api.v1.keys[":id"].$delete({ param: { id } }));
      print(ctx, cmd, body, () => `revoked ${body.name} (${body.id})\n`);
    });
}
