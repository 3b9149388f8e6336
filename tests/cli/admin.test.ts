import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byModelJudge, heldoutItems } from "../evaluation/helpers";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { runCli, serveTestApp, tempDir, writeJsonl } from "./helpers";

// Each test spawns the CLI several times; on a loaded 2-core CI box a spawn can take seconds.
const SLOW = { timeout: 180_000 };

// The held-out, dataset, evaluation, key and judgment commands as a user runs them: spawned CLI,
// real server on PGlite with its background workers, fake LLM whose judges differ by model name.
const ADMIN_KEY = "cli-admin-key-0123456789";
let fake: FakeLlm;
let server: Awaited<ReturnType<typeof serveTestApp>>;
let env: Record<string, string>;
let dir: string;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: byModelJudge });
  server = await serveTestApp({ llmUrl: fake.url, jobs: true, env: { SELFJUDGE_ADMIN_KEY: ADMIN_KEY, LLM_TIMEOUT_MS: "30000" } });
  env = { SELFJUDGE_URL: server.url, SELFJUDGE_API_KEY: ADMIN_KEY };
  dir = tempDir();
  for (const model of ["oracle", "contrarian"]) {
    expect((await server.t.call("POST", "/v1/versions", { model }, admin)).status).toBe(201);
  }
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe("selfjudge heldout", SLOW, () => {
  it("imports a JSONL file (again: all duplicates) and lists it as a table and as JSON", async () => {
    const file = writeJsonl(join(dir, "heldout.jsonl"), heldoutItems(12, "cli"));
    const first = await runCli(["heldout", "import", file, "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ evaluator: "default", received: 12, inserted: 12, duplicates: 0 });
    const again = await runCli(["heldout", "import", file], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("imported 0 pairs into default (received 12, duplicates 12)\n");

    const list = await runCli(["--json", "heldout", "list", "--label", "A", "--limit", "4"], env);
    expect(list.code).toBe(0);
    const page = JSON.parse(list.stdout);
    expect(page.total).toBe(6);
    expect(page.data).toHaveLength(4);
    expect(page.data.every((i: { label: string }) => i.label === "A")).toBe(true);
    const human = await runCli(["heldout", "list", "--label", "A", "--limit", "4"], env);
    expect(human.stdout).toMatch(/^ID\s+LABEL\s+SOURCE\s+CATEGORY\s+INSTRUCTION/m);
    expect(human.stdout).toMatch(/6 in total; next page: --cursor \S+/);
  });

  it("a bad line fails the import with its line number (exit 2) and stores nothing", async () => {
    const items = heldoutItems(3, "bad");
    const file = writeJsonl(join(dir, "heldout-bad.jsonl"), [items[0], items[1], "{oops", { ...items[2], label: "C" }]);
    const run = await runCli(["heldout", "import", file], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: 422 /m);
    expect(run.stderr).toMatch(/^ {2}line 3: not valid JSON$/m);
    expect(run.stderr).toMatch(/^ {2}line 4\.label: /m);
    const list = await server.t.call("GET", "/v1/heldout?limit=500", undefined, admin);
    expect(list.json.data.some((i: { instruction: string }) => i.instruction.startsWith("bad "))).toBe(false);
  });
});

describe("selfjudge datasets", SLOW, () => {
  it("imports a file under a name, lists it and shows its subsets; a taken name and a missing --format exit 2", async () => {
    const rows = heldoutItems(6, "ds").map((r, i) => ({ id: `d${i}`, ...r, source: undefined }));
    const file = writeJsonl(join(dir, "pairs.jsonl"), rows);
    const imp = await runCli(["datasets", "import", file, "--format", "pairs", "--name", "cli-pairs", "--json"], env);
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ name: "cli-pairs", format: "pairs", received: 6, inserted: 6, subsets: { math: 2, writing: 4 } });

    const list = await runCli(["datasets", "list", "--json"], env);
    expect(JSON.parse(list.stdout).data.map((d: { name: string }) => d.name)).toEqual(["cli-pairs"]);
    const show = await runCli(["datasets", "show", "cli-pairs"], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^items\s+6$/m);
    expect(show.stdout).toMatch(/^writing\s+4$/m);

    const taken = await runCli(["datasets", "import", file, "--format", "pairs", "--name", "cli-pairs"], env);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/^error: 409 /m);
    const noFormat = await runCli(["datasets", "import", file, "--name", "x"], env);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain("--format");
    const missing = await runCli(["datasets", "show", "nope"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: 404 /m);
  });
});

describe("selfjudge eval run --watch", SLOW, () => {
  it("follows an evaluation to the end with progress lines, then prints the result table", async () => {
    const run = await runCli(["eval", "run", "--version", "v2", "--watch"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^evaluation \S+: v2 vs v1$/m);
    expect(run.stderr).toMatch(/^evaluating 24\/24 \(100\.0%\)$/m);
    expect(run.stdout).toMatch(/^status\s+completed$/m);
    expect(run.stdout).toMatch(/^VERSION\s+N\s+ACCURACY/m);
    expect(run.stdout).toMatch(/^v2\s+12\s+100\.0%/m);
    // Confidence is the vote share (1 for every consistent verdict), so ECE is 1 − accuracy.
    expect(run.stdout).toMatch(/^calibration \(expected calibration error, 10 bins; 0 is perfect\)\nVERSION\s+ECE\s+N\s+SOURCE$/m);
    expect(run.stdout).toMatch(/^v2\s+0\.000\s+12\s+votes$/m);
    expect(run.stdout).toMatch(/^v1\s+[01]\.\d{3}\s+12\s+votes$/m);
    expect(run.stdout).toMatch(/^delta \+\d/m);
    expect(run.stdout).toMatch(/^gate: /m);
  });

  it("--json gives the finished evaluation; --fail-on-reject exits 1 when the gate rejects", async () => {
    const json = await runCli(["eval", "run", "--version", "v3", "--watch", "--json", "--quiet"], env);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ status: "completed", candidate: { name: "v3" }, baseline: { name: "v1" } });
    expect(body.result.candidate.accuracy).toBe(0);
    expect(body.result.decision.decision).toBe("reject");
    expect(body.result.candidate.calibration).toMatchObject({ n: 12, bins_count: 10, ece: 1, source: "votes" });
    expect(body.result.candidate.calibration.reliability).toHaveLength(10);
    expect(body.result.baseline.calibration).toMatchObject({ n: 12, source: "votes" });
    const gated = await runCli(["eval", "run", "--version", "v3", "--watch", "--fail-on-reject", "--quiet"], env);
    expect(gated.code).toBe(1);
    expect(gated.stdout).toMatch(/^gate: reject/m);
  });

  it("evaluates on a dataset, lists evaluations, and without --watch only starts one", async () => {
    const run = await runCli(["eval", "run", "--version", "v2", "--dataset", "cli-pairs", "--watch", "--json", "--quiet"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "completed", dataset: { name: "cli-pairs" }, result: { candidate: { n: 6, accuracy: 1 } } });
    const started = await runCli(["eval", "run", "--version", "v2", "--json"], env);
    expect(started.code).toBe(0);
    const id = JSON.parse(started.stdout).id;
    const list = await runCli(["eval", "list", "--json"], env);
    expect(JSON.parse(list.stdout).data.map((e: { id: string }) => e.id)).toContain(id);
    const show = await runCli(["eval", "show", id, "--watch", "--quiet"], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^status\s+completed$/m);
    expect(show.stdout).toMatch(/^v2\s+0\.000\s+12\s+votes$/m);
  });

  it("exits 2 on a usage error (no --version, bad --samples) and on an unknown version", async () => {
    expect((await runCli(["eval", "run"], env)).code).toBe(2);
    const samples = await runCli(["eval", "run", "--version", "v2", "--samples", "0"], env);
    expect(samples.code).toBe(2);
    expect(samples.stderr).toContain("--samples must be an integer from 1 to 32");
    const unknown = await runCli(["eval", "run", "--version", "v99"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: 404 /m);
  });
});

describe("selfjudge keys and judgments", SLOW, () => {
  it("creates a judge key (secret printed once), lists it, and revokes it so it stops working", async () => {
    const created = await runCli(["keys", "create", "--name", "ci", "--scope", "judge", "--rpm", "600", "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ name: "ci", scope: "judge", rate_limit_rpm: 600 });
    expect(key.secret.length).toBeGreaterThan(20);
    const judgeEnv = { ...env, SELFJUDGE_API_KEY: key.secret };

    const list = await runCli(["keys", "list"], env);
    expect(list.stdout).toMatch(new RegExp(`^${key.id}\\s+ci\\s+judge`, "m"));
    expect(list.stdout).not.toContain(key.secret);
    // A judge key may read judgments but not manage keys.
    expect((await runCli(["judgments", "list"], judgeEnv)).code).toBe(0);
    const forbidden = await runCli(["keys", "list"], judgeEnv);
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toMatch(/^error: 403 /m);

    const revoked = await runCli(["keys", "revoke", key.id], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`revoked ci (${key.id})\n`);
    expect((await runCli(["judgments", "list"], judgeEnv)).code).toBe(2);
    expect((await runCli(["keys", "create", "--name", "x", "--scope", "root"], env)).code).toBe(2);
  });

  it("lists judgments with filters and shows one with its reasoning", async () => {
    const judged = await server.t.call(
      "POST",
      "/v1/judge",
      { instruction: "CLI judgments: capital of France?", response_a: "Lyon.", response_b: "GOOD: Paris." },
      admin,
    );
    expect(judged.status).toBe(200);
    const list = await runCli(["--json", "judgments", "list", "--verdict", "B", "--limit", "200"], env);
    expect(list.code).toBe(0);
    const ids = JSON.parse(list.stdout).data.map((j: { id: string }) => j.id);
    expect(ids).toContain(judged.json.id);
    const human = await runCli(["judgments", "list", "--limit", "1"], env);
    expect(human.stdout).toMatch(/^ID\s+STATUS\s+VERDICT/m);
    const show = await runCli(["judgments", "show", judged.json.id], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^verdict\s+B$/m);
    expect(show.stdout).toContain("CLI judgments: capital of France?");
    const json = await runCli(["judgments", "show", judged.json.id, "--json"], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: judged.json.id, verdict: "B" });
    expect((await runCli(["judgments", "show", "not-a-uuid"], env)).code).toBe(2);
  });
});

describe("every command group", SLOW, () => {
  it("has --help with an example; an unreachable server exits 2", async () => {
    for (const args of [["heldout", "import"], ["datasets", "import"], ["eval", "run"], ["train", "start"], ["runs", "list"], ["export"], ["keys", "create"], ["judgments", "list"]]) {
      const help = await runCli([...args, "--help"], env);
      expect(help.code, args.join(" ")).toBe(0);
      expect(help.stdout, args.join(" ")).toContain("Example:");
    }
    const down = await runCli(["heldout", "list", "--url", "http://127.0.0.1:9"], env);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("cannot reach selfjudge at http://127.0.0.1:9");
    const version = await runCli(["--version"], env);
    expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
  });
});
