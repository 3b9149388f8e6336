import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { freePort } from "../server/spawn-server";
import { createTestApp, type TestApp, type TestAppOptions } from "../helpers/test-app";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

let built: Promise<string> | undefined;

/**
 * Bundles the CLI exactly as `npm run build` does, into a per-process folder inside the repo
 * (so its external dependencies resolve from node_modules), once per test file.
 */
export function buildCli(): Promise<string> {
  built ??= (async () => {
    const outdir = join(REPO_ROOT, "node_modules", ".cache", `selfjudge-cli-test-${process.pid}`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ["scripts/build.mjs", outdir], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] });
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`build failed: ${code}`))));
    });
    return join(outdir, "cli.js");
  })();
  return built;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliRun>;
}

/** Spawns `selfjudge ARGS` as its own process with only the given environment. */
export async function spawnCli(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT): Promise<CliProcess> {
  const cli = await buildCli();
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
  );
  return { child, stdout: () => out, stderr: () => err, done };
}

export async function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliRun> {
  return (await spawnCli(args, env, cwd)).done;
}

/** Runs the CLI on a pseudo-terminal (util-linux `script`), as a user at a terminal sees it. */
export async function runCliOnTty(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const cli = await buildCli();
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, cli, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TERM: "xterm", COLUMNS: "120", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err })));
}

/** The real app (test database, fake LLM) served over real HTTP for the CLI to call. */
export async function serveTestApp(opts: TestAppOptions = {}): Promise<{ t: TestApp; url: string; close(): Promise<void> }> {
  const t = await createTestApp(opts);
  const port = await freePort();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: t.app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  return {
    t,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "selfjudge-cli-"));
}

let seq = 0;
/** A pair the oracle judge decides: the response holding "GOOD" wins. */
export function pairLine(better: "a" | "b" | "none", extra: Record<string, unknown> = {}) {
  seq++;
  return {
    id: `p${seq}`,
    instruction: `Question ${seq} (${process.pid}): what is the capital of France?`,
    response_a: better === "a" ? "GOOD: Paris." : "Lyon, I think.",
    response_b: better === "b" ? "GOOD: Paris." : "Lyon, I think.",
    ...extra,
  };
}

export function writeJsonl(path: string, rows: Array<unknown | string>): string {
  writeFileSync(path, rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
  return path;
}

export function readJsonl(text: string): any[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}
