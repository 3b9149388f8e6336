// Runs the real promptfoo on promptfooconfig.yaml against a running selfjudge (PGlite, fresh
// data folder) whose LLM is the repository's fake (tests/fake-llm: the answer holding "GOOD"
// wins), and checks that the assertion passes the better answer and fails the worse one.
// Needs the repository built (npm ci at the root) and this folder installed (npm install here).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "selfjudge-promptfoo-"));
const children = [];

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function start(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  children.push(child);
  return { child, log: () => log };
}

async function waitFor(url, what, proc) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start:\n${proc.log()}`);
}

function check(cond, msg) {
  if (!cond) throw new Error(`FAILED: ${msg}`);
  console.log(`ok - ${msg}`);
}

try {
  const llmPort = await freePort();
  const fake = start(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), "tests/fake-llm/standalone.ts", String(llmPort)], {});
  await waitFor(`http://127.0.0.1:${llmPort}/v1/models`, "fake LLM", fake);
  const port = await freePort();
  const server = start(process.execPath, ["dist/node/server.js"], {
    PORT: String(port),
    DATA_DIR: join(tmp, "pglite"),
    OPENAI_BASE_URL: `http://127.0.0.1:${llmPort}/v1`,
    OPENAI_API_KEY: "fake",
    JUDGE_MODEL: "fake-judge",
    LOG_LEVEL: "warn",
    JOBS_ENABLED: "false",
  });
  await waitFor(`http://127.0.0.1:${port}/healthz`, "selfjudge", server);

  const out = join(tmp, "results.json");
  const pf = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, "node_modules", "promptfoo", "dist", "src", "main.js"), "eval", "-c", "promptfooconfig.yaml", "--no-cache", "--no-progress-bar", "-o", out], {
      cwd: here,
      env: {
        ...process.env,
        SELFJUDGE_URL: `http://127.0.0.1:${port}`,
        PROMPTFOO_CONFIG_DIR: join(tmp, "promptfoo"),
        PROMPTFOO_DISABLE_TELEMETRY: "1",
        PROMPTFOO_DISABLE_UPDATE: "1",
        PROMPTFOO_DISABLE_SHARING: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.once("close", (code) => resolve({ code, log }));
  });
  console.log(pf.log.split("\n").slice(-25).join("\n"));
  // promptfoo exits non-zero (100) when any assertion failed: here the worse answer must fail.
  check(pf.code !== 0, `promptfoo reports a failed test (exit ${pf.code})`);
  const results = JSON.parse(readFileSync(out, "utf8")).results.results;
  const byDesc = Object.fromEntries(results.map((r) => [r.testCase.description, r]));
  const better = byDesc["the new answer is better than the baseline"];
  const worse = byDesc["the new answer is worse than the baseline"];
  check(better?.success === true, "the better answer passes the selfjudge assertion");
  const reason = (r) => r.gradingResult.componentResults?.[0]?.reason ?? r.gradingResult.reason;
  check(/^selfjudge v1: verdict B/.test(reason(better)), `its reason names the verdict: ${reason(better).slice(0, 80)}`);
  check(worse?.success === false, "the worse answer fails it");
  check(/^selfjudge v1: verdict A/.test(reason(worse)), `its reason names the verdict: ${reason(worse).slice(0, 80)}`);
  // The assertion's judgments are stored on the server like any other.
  const stored = await (await fetch(`http://127.0.0.1:${port}/v1/judgments?limit=10`)).json();
  check(stored.data.length === 2, "both judgments are stored on the server");
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  rmSync(tmp, { recursive: true, force: true });
}
