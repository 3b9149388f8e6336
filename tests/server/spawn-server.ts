import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A port nobody is listening on right now: bind 0, read it, let go. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", resolve);
  });
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  exited: Promise<Exit>;
  /** Resolves once the server logs that it listens; rejects if it exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  fetchJson(path: string, init?: RequestInit): Promise<{ status: number; json: any; contentType: string | null }>;
}

/**
 * Runs `src/server.ts` as the user would, in its own Node process with only the environment
 * given (plus PATH/HOME), so config parsing, locks and signals are exercised for real.
 */
export async function startServer(env: Record<string, string>, opts: { port?: number } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      PORT: String(port),
      LOG_LEVEL: "info",
      // The process must never reach a real provider from tests.
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));

  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    output: () => out,
    exited,
    async ready(timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes("selfjudge listening")) {
        if (done) throw new Error(`server exited before listening:\n${out}`);
        if (Date.now() > deadline) throw new Error(`server not listening after ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (!done) child.kill(signal);
      return exited;
    },
    async fetchJson(path, init) {
      const res = await fetch(`${url}${path}`, init);
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, contentType: res.headers.get("content-type") };
    },
  };
}

/** Kills whatever is still running; for afterEach so a failed test leaves no server behind. */
export async function killAll(servers: ServerProcess[]): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.stop("SIGKILL")));
}

/** `npm run db:migrate`'s script, as a process with only the given environment. */
export function runMigrateCli(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/db/migrate-cli.ts"], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}
