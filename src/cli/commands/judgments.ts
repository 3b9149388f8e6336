import type { Command } from "commander";
import { unwrap, type SelfjudgeClient } from "../../client";
import { clientFor, print, type CommandContext } from "../context";
import { details, table } from "../format";
import { evaluatorQuery, pageFooter, pageOptions, pageQuery } from "./shared";

export function registerJudgmentsCommands(program: Command, ctx: CommandContext): void {
  const judgments = program
    .command("judgments")
    .description("Browse stored judgments")
    .addHelpText("after", "\nExample:\n  $ selfjudge judgments list --verdict B --limit 20\n  $ selfjudge judgments show 7c1d…");

  pageOptions(
    judgments
      .command("list")
      .description("Stored judgments, newest first")
      .option("-e, --evaluator <name>", "evaluator (default: default)")
      .option("--version <version>", "judge version, name or id")
      .option("--verdict <verdict>", "A | B | tie")
      .option("--status <status>", "ok | failed | timeout")
      .option("--from <iso>", "created at or after (ISO 8601)")
      .option("--to <iso>", "created before (ISO 8601)"),
  )
    .addHelpText("after", "\nExample:\n  $ selfjudge judgments list --status failed --from 2026-01-01T00:00:00Z --json")
    .action(async (o: Record<string, string | undefined>, cmd: Command) => {
      type Query = Parameters<SelfjudgeClient["api"]["v1"]["judgments"]["$get"]>[0]["query"];
      const filters = Object.fromEntries(["version", "verdict", "status", "from", "to"].flatMap((k) => (o[k] ? [[k, o[k]]] : [])));
      const query = { ...evaluatorQuery(o.evaluator), ...pageQuery(o), ...filters } as Query;
      const body = await unwrap(clientFor(ctx, cmd).api.v1.judgments.$get({ query }));
      const rows = body.data.map((j) => ({
        id: j.id,
        status: j.status,
        verdict: j.verdict,
        consistent: j.position_consistent,
        version: j.version.name,
        tokens: j.usage.prompt_tokens + j.usage.completion_tokens,
        latency_ms: j.latency_ms,
        instruction: j.instruction_preview.replace(/\s+/g, " "),
        created_at: j.created_at,
      }));
      print(ctx, cmd, body, () => table(rows, ["id", "status", "verdict", "consistent", "version", "tokens", "latency_ms", "instruction", "created_at"]) + pageFooter(body.next_cursor));
    });

  judgments
    .command("show")
    .description("One judgment: request, verdict, reasoning and every raw judge output")
    .argument("<id>")
    .addHelpText("after", "\nExample:\n  $ selfjudge judgments show 7c1d… --json")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const j = await unwrap(clientFor(ctx, cmd).api.v1.judgments[":id"].$get({ param: { id } }));
      print(ctx, cmd, j, () =>
        details({
          id: j.id,
          status: j.status,
          verdict: j.verdict,
          confidence: j.confidence,
          position_consistent: j.position_consistent,
          votes: j.votes,
          evaluator: j.evaluator.name,
          version: j.version.name,
          tokens: j.usage.prompt_tokens + j.usage.completion_tokens,
          latency_ms: j.latency_ms,
          error: j.error,
          created_at: j.created_at,
        }) +
        `\ninstruction:\n${j.instruction}\n\nresponse A:\n${j.response_a}\n\nresponse B:\n${j.response_b}\n\nreasoning:\n${j.reasoning ?? "-"}\n` +
        `\nraw outputs: ${j.raw_outputs.map((r) => `${r.order}#${r.index}=${r.vote}`).join(" ")}\n`,
      );
    });
}
