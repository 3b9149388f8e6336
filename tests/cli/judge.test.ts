import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { pairLine, readJsonl, runCli, runCliOnTty, serveTestApp, spawnCli, tempDir, writeJsonl } from "./helpers";

// Each test spawns the CLI several times; on a loaded 2-core CI box a spawn can take seconds.
const SLOW = { timeout: 180_000 };

let fake: FakeLlm;
let server: Awaited<ReturnType<typeof serveTestApp>>;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  // A generous LLM timeout: on a loaded CI box a slow fake answer must not turn into a failed pair.
  server = await serveTestApp({ llmUrl: fake.url, env: { LLM_TIMEOUT_MS: "30000" } });
  env = { SELFJUDGE_URL: server.url };
  dir = tempDir();
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe("selfjudge judge FILE", SLOW, () => {
  it("judges every pair through the batch endpoint, keeps ids, and prints a JSON summary", async () => {
    const rows = [pairLine("b"), pairLine("b"), pairLine("b"), pairLine("a"), pairLine("none")];
    const file = writeJsonl(join(dir, "pairs.jsonl"), rows);
    const out = join(dir, "results.jsonl");
    const run = await runCli(["--json", "judge", file, "--out", out], env);
    expect(run.stderr).not.toContain("error");
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ total: 5, judged: 5, wins_a: 1, wins_b: 3, ties: 1, failed: 0, rejected: 0 });
    expect(summary.win_rate_b).toBeCloseTo(3.5 / 5);
    expect(summary.win_rate_b_ci95[0]).toBeLessThan(summary.win_rate_b);
    expect(summary.win_rate_b_ci95[1]).toBeGreaterThan(summary.win_rate_b);
    expect(summary.position_inconsistent_share).toBe(0);
    expect(summary.tokens.total).toBeGreaterThan(0);

    const results = readJsonl(readFileSync(out, "utf8"));
    expect(results).toHaveLength(5);
    const byId = new Map(results.map((r) => [r.id, r]));
    for (const [i, row] of rows.entries()) {
      const r = byId.get(row.id)!;
      expect(r).toMatchObject({ line: i + 1, ok: true, evaluator: "default", version: "v1" });
      expect(r.verdict).toBe(row.response_b.includes("GOOD") ? "B" : row.response_a.includes("GOOD") ? "A" : "tie");
      // Each result is a stored judgment on the server.
      expect((await server.t.call("GET", `/v1/judgments/${r.judgment_id}`)).status).toBe(200);
    }
  });

  it("prints a human summary table by default and gates on --min-win-rate (exit 1 below, 0 at or above)", async () => {
    const file = writeJsonl(join(dir, "gate.jsonl"), [pairLine("a"), pairLine("a"), pairLine("b"), pairLine("none")]);
    const failing = await runCli(["judge", file, "--min-win-rate", "B=0.5"], env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/wins A\s+2/);
    expect(failing.stdout).toMatch(/wins B\s+1/);
    expect(failing.stdout).toMatch(/win rate B \(ties ½\)\s+37\.5%/);
    expect(failing.stdout).toContain("CHECK FAILED: win rate of B 37.5% < 50.0%");

    const passing = await runCli(["judge", file, "--min-win-rate", "A=0.6", "--json"], env);
    expect(passing.code).toBe(0);
    expect(JSON.parse(passing.stdout).gate).toMatchObject({ side: "A", min: 0.6, rate: 0.625, passed: true });
  });

  it("reports unreadable lines with their line numbers, skips them into --rejects, and judges the rest", async () => {
    const good = [pairLine("b"), pairLine("a")];
    const file = writeJsonl(join(dir, "bad.jsonl"), [
      good[0],
      "{not json",
      { instruction: "q", response_a: "x" },
      "",
      good[1],
      "[1,2]",
    ]);
    const out = join(dir, "bad-results.jsonl");
    const rejects = join(dir, "rejects.jsonl");
    const run = await runCli(["judge", file, "--out", out, "--rejects", rejects, "--json"], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/line 2: not valid JSON/);
    expect(run.stderr).toMatch(/line 3: missing response_b/);
    expect(run.stderr).toMatch(/line 6: not a JSON object/);
    const rej = readJsonl(readFileSync(rejects, "utf8"));
    expect(rej.map((r) => r.line)).toEqual([2, 3, 6]);
    expect(rej[0].raw).toBe("{not json");
    expect(readJsonl(readFileSync(out, "utf8")).map((r) => r.line).sort()).toEqual([1, 5]);
    expect(JSON.parse(run.stdout)).toMatchObject({ judged: 2, rejected: 3 });
  });

  it("reads CSV with quoted commas and a JSON conversation column", async () => {
    const file = join(dir, "pairs.csv");
    writeFileSync(
      file,
      [
        "id,instruction,conversation,response_a,response_b",
        `c1,"Name the capital, please (${process.pid})",,"Lyon, I think.","GOOD: Paris, of course."`,
        `c2,,"[{""role"":""user"",""content"":""Capital of France? ${process.pid}""}]",GOOD: Paris.,Lyon.`,
        `c3,"unterminated,"x,y`,
      ].join("\n") + "\n",
    );
    const out = join(dir, "csv-results.jsonl");
    const run = await runCli(["judge", file, "--out", out, "--json"], env);
    expect(run.code).toBe(0);
    const results = readJsonl(readFileSync(out, "utf8"));
    expect(Object.fromEntries(results.map((r) => [r.id, r.verdict]))).toEqual({ c1: "B", c2: "A" });
    expect(run.stderr).toMatch(/line 4: /);
  });

  it("sends conversations to the server as conversations, so the judgment keeps the whole dialogue", async () => {
    const q1 = `Plan a day in Kyoto (${process.pid}).`;
    const q2 = "Now make it rain-proof.";
    const conv = (r1: string, r2: string) => [
      { role: "user", content: q1 },
      { role: "assistant", content: r1 },
      { role: "user", content: q2 },
      { role: "assistant", content: r2 },
    ];
    const rows = [
      { id: "shared", conversation: conv("Temples, then Gion.", "").slice(0, 3), response_a: "Walk outside.", response_b: "GOOD: Museums and covered arcades." },
      { id: "divergent", conversation_a: conv("Temples.", "GOOD: Covered Nishiki market."), conversation_b: conv("Parks.", "Parks anyway.") },
      { id: "bad", conversation: [{ role: "assistant", content: "hi" }], response_a: "x", response_b: "y" },
    ];
    const file = writeJsonl(join(dir, "multi-turn.jsonl"), rows);
    const out = join(dir, "multi-turn-results.jsonl");
    const run = await runCli(["judge", file, "--out", out, "--json"], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/line 3: conversation\.0\.role/);
    const results = readJsonl(readFileSync(out, "utf8"));
    expect(Object.fromEntries(results.map((r) => [r.id, r.verdict]))).toEqual({ shared: "B", divergent: "A" });
    const shared = await server.t.call("GET", `/v1/judgments/${results.find((r) => r.id === "shared")!.judgment_id}`);
    expect(shared.json.conversation).toEqual(rows[0]!.conversation);
    const divergent = await server.t.call("GET", `/v1/judgments/${results.find((r) => r.id === "divergent")!.judgment_id}`);
    expect(divergent.json.conversation_b).toEqual(rows[1]!.conversation_b);
  });

  it("exits 2 on usage errors, a missing file and an unreachable server", async () => {
    const file = writeJsonl(join(dir, "one.jsonl"), [pairLine("a")]);
    const usage = await runCli(["judge", file, "--min-win-rate", "C=2"], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--min-win-rate wants SIDE=RATE");
    expect((await runCli(["judge", join(dir, "nope.jsonl")], env)).code).toBe(2);
    expect((await runCli(["frobnicate"], env)).code).toBe(2);
    const down = await runCli(["judge", file, "--url", "http://127.0.0.1:9"], env);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("cannot reach selfjudge at http://127.0.0.1:9");
    const help = await runCli(["judge", "--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Example:");
  });
});

describe("progress", SLOW, () => {
  it("prints plain progress lines when stderr is not a terminal", async () => {
    const file = writeJsonl(join(dir, "plain.jsonl"), [pairLine("a"), pairLine("b"), pairLine("b")]);
    const run = await runCli(["judge", file], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^judging 0\/3 \(0\.0%\)/m);
    expect(run.stderr).toMatch(/^judging 3\/3 \(100\.0%\) [\d.]+\/s ETA \S+ failed 0$/m);
    expect(run.stderr).not.toContain("\r");
  });

  it("draws a bar with rate and ETA on a terminal", async () => {
    const file = writeJsonl(join(dir, "tty.jsonl"), [pairLine("a"), pairLine("b")]);
    const run = await runCliOnTty(["judge", file], env);
    expect(run.code).toBe(0);
    // script(1) merges the terminal's output into its stdout.
    expect(run.stdout).toMatch(/judging [█░]+ 100% \| 2\/2 \| [\d.]+\/s \| ETA \S+ \| failed 0/);
    expect(run.stdout).toContain("wins B");
  });
});

describe("resume and interruption", SLOW, () => {
  it("resumes after a kill mid-file: no result line is written twice and every pair ends up judged once", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => pairLine(i % 3 === 0 ? "a" : "b"));
    const file = writeJsonl(join(dir, "resume.jsonl"), rows);
    const out = join(dir, "resume-results.jsonl");
    let partial: any[] = [];
    fake.setOptions({ latencyMs: 40 });
    try {
      const first = await spawnCli(["judge", file, "--out", out, "--batch-size", "5", "--concurrency", "2"], env);
      while (!existsSync(out) || readFileSync(out, "utf8").split("\n").length < 8) await new Promise((r) => setTimeout(r, 20));
      first.child.kill("SIGKILL");
      await first.done;
      // Simulate the kill landing mid-write: a half line at the end.
      writeFileSync(out, readFileSync(out, "utf8") + '{"line": 99, "id": "p');
      partial = readJsonl(readFileSync(out, "utf8").replace(/\{"line": 99.*$/, ""));
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThan(60);
    } finally {
      fake.setOptions({ latencyMs: 0 });
    }
    const second = await runCli(["judge", file, "--out", out, "--json"], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("dropped a half-written last line");
    const results = readJsonl(readFileSync(out, "utf8"));
    expect(results).toHaveLength(60);
    expect(new Set(results.map((r) => r.id)).size).toBe(60);
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ judged: 60, wins_a: 20, wins_b: 40 });
    expect(summary.resumed).toBeGreaterThan(0);
    expect(summary.resumed).toBe(partial.length);
    // Each pair's line holds its own judgment: nothing judged twice into the file.
    expect(new Set(results.map((r) => r.judgment_id)).size).toBe(60);

    // A third run finds everything done and makes no request.
    const third = await runCli(["judge", file, "--out", out, "--json"], env);
    expect(JSON.parse(third.stdout)).toMatchObject({ judged: 60, resumed: 60 });
    expect(readJsonl(readFileSync(out, "utf8"))).toHaveLength(60);
  });

  it("on Ctrl-C finishes the batches in flight, writes them, and exits 130", async () => {
    const rows = Array.from({ length: 40 }, () => pairLine("b"));
    const file = writeJsonl(join(dir, "sigint.jsonl"), rows);
    const out = join(dir, "sigint-results.jsonl");
    fake.setOptions({ latencyMs: 60 });
    try {
      const run = await spawnCli(["judge", file, "--out", out, "--batch-size", "4", "--concurrency", "2"], env);
      while (!existsSync(out) || readFileSync(out, "utf8").length === 0) await new Promise((r) => setTimeout(r, 20));
      run.child.kill("SIGINT");
      const res = await run.done;
      expect(res.code).toBe(130);
      expect(res.stderr).toContain("run the same command again to resume");
      const text = readFileSync(out, "utf8");
      expect(text.endsWith("\n")).toBe(true);
      const lines = readJsonl(text);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThan(40);
      // Whole batches only: what was sent before Ctrl-C was written, nothing half.
      expect(lines.length % 4).toBe(0);
    } finally {
      fake.setOptions({ latencyMs: 0 });
    }
  });
});
