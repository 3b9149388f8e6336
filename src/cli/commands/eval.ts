import type { Command } from "commander";
import { unwrap, type SelfjudgeClient } from "../../client";
import { clientFor, globals, print, type CommandContext } from "../context";
import { details, table } from "../format";
import { EXIT } from "../io";
import { watchJob } from "../watch";
import { evaluatorQuery, intArg, pageFooter, pageOptions, pageQuery, pct } from "./shared";

type Evaluation = Awaited<ReturnType<typeof unwrap<Awaited<ReturnType<SelfjudgeClient["api"]["v1"]["evaluations"][":id"]["$get"]>>>>>;
type Metrics = NonNullable<Evaluation["result"]>["candidate"];

const ENDED = ["completed", "failed", "canceled"];

/** The result table of a finished evaluation (pure). */
export function renderEvaluation(e: Evaluation): string {
  const head = details(
    {
      evaluation: e.id,
      status: e.status,
      candidate: e.candidate.name,
      baseline: e.baseline?.name ?? null,
      on: e.dataset ? `dataset ${e.dataset.name}` : "held-out set",
      progress: `${e.progress.done}/${e.progress.total}`,
      ...(e.error ? { error: e.error } : {}),
    },
  );
  const r = e.result;
  if (!r) return head;
  const row = (name: string, m: Metrics) => ({
    version: name,
    n: m.n,
    accuracy: pct(m.accuracy),
    ci95: `${pct(m.ci95[0])}–${pct(m.ci95[1])}`,
    consistent: pct(m.position_consistent_accuracy),
    no_verdict: m.no_verdict,
    llm_failures: m.llm_failures,
  });
  const rows = [row(e.candidate.name, r.candidate), ...(r.baseline && e.baseline ? [row(e.baseline.name, r.baseline)] : [])];
  let out = `${head}\n${table(rows, ["version", "n", "accuracy", "ci95", "consistent", "no_verdict", "llm_failures"])}`;
  out += renderCalibration(rows.map((x) => x.version), [r.candidate, ...(r.baseline && e.baseline ? [r.baseline] : [])]);
  if (r.comparison) {
    const c = r.comparison;
    out += `\ndelta ${c.delta >= 0 ? "+" : ""}${(c.delta * 100).toFixed(1)} points, p = ${c.p_value.toPrecision(3)} (${c.test}; candidate-only correct ${c.candidate_only_correct}, baseline-only ${c.baseline_only_correct})\n`;
  }
  if (r.decision) out += `gate: ${r.decision.decision}${r.decision.reasons.length ? ` (${r.decision.reasons.join("; ")})` : ""}\n`;
  if (r.applied) out += `applied: ${r.applied.outcome}\n`;
  const overall = (r.benchmark as { overall?: unknown } | undefined)?.overall;
  if (overall !== undefined) out += `benchmark overall: ${JSON.stringify(overall)}\n`;
  return out;
}

/**
 * Each version's calibration: ECE over 10 bins, the items it counts (those with a verdict) and
 * where the confidences came from. The reliability table is in --json. Evaluations finished
 * before calibration was reported have none; they get no section rather than made-up zeros.
 */
function renderCalibration(names: string[], metrics: Metrics[]): string {
  const rows = metrics.flatMap((m, i) => {
    const c = (m as Partial<Metrics>).calibration;
    return c ? [{ version: names[i], ece: c.n > 0 ? c.ece.toFixed(3) : null, n: c.n, source: c.source }] : [];
  });
  if (rows.length === 0) return "";
  return `calibration (expected calibration error, 10 bins; 0 is perfect)\n${table(rows, ["version", "ece", "n", "source"])}`;
}

/** Watches an evaluation to its end (or Ctrl-C), prints it, and sets the exit code. */
async function watchAndReport(ctx: CommandContext, cmd: Command, client: SelfjudgeClient, id: string, o: { failOnReject?: boolean; quiet?: boolean }) {
  const { job, interrupted } = await watchJob({
    io: ctx.io,
    quiet: o.quiet === true,
    poll: () => unwrap(client.api.v1.evaluations[":id"].$get({ param: { id } })),
    view: (e) => ({ label: e.status === "queued" ? "queued" : "evaluating", done: e.progress.done, total: e.progress.total, ended: ENDED.includes(e.status) }),
  });
  print(ctx, cmd, job, () => renderEvaluation(job));
  if (interrupted) {
    ctx.io.stderr.write(`stopped watching; evaluation ${id} goes on on the server (selfjudge eval show ${id} --watch)\n`);
    ctx.exitCode = EXIT.interrupted;
  } else if (job.status !== "completed") ctx.exitCode = EXIT.checkFailed;
  else if (o.failOnReject && job.result?.decision?.decision === "reject") ctx.exitCode = EXIT.checkFailed;
}

export function registerEvalCommands(program: Command, ctx: CommandContext): void {
  const evals = program
    .command("eval")
    .description("Evaluate a version on the held-out set or a benchmark dataset, and follow evaluations")
    .addHelpText("after", "\nExample:\n  $ selfjudge eval run --version v3 --watch\n  $ selfjudge eval list --status running");

  evals
    .command("run")
    .description("Start an evaluation of a version (against the active one on the held-out set, or on a dataset)")
    .requiredOption("--version <version>", "candidate version, name (v3) or id")
    .option("--baseline <version>", "compare against this version (held-out default: the active one; datasets: none)")
    .option("--dataset <name>", "evaluate on this imported dataset instead of the held-out set")
    .option("-e, --evaluator <name>", "evaluator (default: default)")
    .option("--samples <n>", "judgments per order, majority-voted", intArg("--samples", 1, 32))
    .option("--limit <n>", "at most this many items (an unbiased sample)", intArg("--limit", 1, 1_000_000))
    .option("--no-swap", "judge one order only")
    .option("--promote", "apply the promotion gate when done (pass → the candidate becomes active)")
    .option("--watch", "show progress until it ends, then the result table")
    .option("--fail-on-reject", "with --watch: exit 1 when the gate decides `reject`")
    .option("-q, --quiet", "with --watch: no progress output")
    .addHelpText(
      "after",
      `
Example:
  $ selfjudge eval run --version v3 --watch
  $ selfjudge eval run --version v3 --dataset rewardbench --baseline v2 --limit 500 --watch --json

Exit codes: 0 started (or, with --watch, completed), 1 the evaluation failed or was canceled (or --fail-on-reject
and the gate rejected), 2 usage or connection error, 130 stopped watching (the evaluation goes on).`,
    )
    .action(
      async (
        o: { version: string; baseline?: string; dataset?: string; evaluator?: string; samples?: number; limit?: number; swap: boolean; promote?: boolean; watch?: boolean; failOnReject?: boolean; quiet?: boolean },
        cmd: Command,
      ) => {
        const client = clientFor(ctx, cmd);
        const body = await unwrap(
          client.api.v1.evaluations.$post({
            json: {
              version: o.version,
              ...(o.evaluator ? { evaluator: o.evaluator } : {}),
              ...(o.baseline ? (o.dataset ? { baseline: o.baseline } : { against: o.baseline }) : {}),
              ...(o.dataset ? { dataset: o.dataset } : {}),
              ...(o.samples !== undefined ? { samples: o.samples } : {}),
              ...(o.limit !== undefined ? (o.dataset ? { limit: o.limit } : { filter: { limit: o.limit } }) : {}),
              ...(o.swap === false ? { swap: false } : {}),
              ...(o.promote ? { promote: true } : {}),
            },
          }),
        );
        if (!o.watch) {
          print(ctx, cmd, body, () => `evaluation ${body.id} ${body.status}: ${body.candidate.name}${body.baseline ? ` vs ${body.baseline.name}` : ""} (follow it: selfjudge eval show ${body.id} --watch)\n`);
          return;
        }
        if (!globals(cmd).json && !o.quiet) ctx.io.stderr.write(`evaluation ${body.id}: ${body.candidate.name}${body.baseline ? ` vs ${body.baseline.name}` : ""}\n`);
        await watchAndReport(ctx, cmd, client, body.id, o);
      },
    );

  evals
    .command("show")
    .description("An evaluation: progress, then per-version metrics, the paired test and the gate decision")
    .argument("<id>")
    .option("--watch", "follow it until it ends")
    .option("--fail-on-reject", "with --watch: exit 1 when the gate decides `reject`")
    .option("-q, --quiet", "with --watch: no progress output")
    .addHelpText("after", "\nExample:\n  $ selfjudge eval show 3f1c…-… --watch")
    .action(async (id: string, o: { watch?: boolean; failOnReject?: boolean; quiet?: boolean }, cmd: Command) => {
      const client = clientFor(ctx, cmd);
      if (o.watch) return watchAndReport(ctx, cmd, client, id, o);
      const body = await unwrap(client.api.v1.evaluations[":id"].$get({ param: { id } }));
      print(ctx, cmd, body, () => renderEvaluation(body));
    });

  pageOptions(
    evals
      .command("list")
      .description("Evaluations, newest first")
      .option("-e, --evaluator <name>", "evaluator (default: default)")
      .option("--status <status>", "queued | running | completed | failed | canceled")
      .option("--version <version>", "only evaluations this version took part in"),
  )
    .addHelpText("after", "\nExample:\n  $ selfjudge eval list --version v3")
    .action(async (o: { evaluator?: string; status?: string; version?: string; limit?: string; cursor?: string }, cmd: Command) => {
      type Query = Parameters<SelfjudgeClient["api"]["v1"]["evaluations"]["$get"]>[0]["query"];
      const query = { ...evaluatorQuery(o.evaluator), ...pageQuery(o), ...(o.status ? { status: o.status } : {}), ...(o.version ? { version: o.version } : {}) } as Query;
      const body = await unwrap(clientFor(ctx, cmd).api.v1.evaluations.$get({ query }));
      const rows = body.data.map((e) => ({
        id: e.id,
        status: e.status,
        candidate: e.candidate.name,
        baseline: e.baseline?.name,
        dataset: e.dataset?.name,
        progress: `${e.progress.done}/${e.progress.total}`,
        accuracy: e.result ? pct(e.result.candidate.accuracy) : null,
        decision: e.result?.decision?.decision,
        created_at: e.created_at,
      }));
      print(ctx, cmd, body, () => table(rows, ["id", "status", "candidate", "baseline", "dataset", "progress", "accuracy", "decision", "created_at"]) + pageFooter(body.next_cursor));
    });

  evals
    .command("cancel")
    .description("Cancel a queued or running evaluation")
    .argument("<id>")
    .addHelpText("after", "\nExample:\n  $ selfjudge eval cancel 3f1c…")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const body = await unwrap(clientFor(ctx, cmd).api.v1.evaluations[":id"].cancel.$post({ param: { id } }));
      print(ctx, cmd, body, () => `evaluation ${body.id} ${body.status}\n`);
    });
}
