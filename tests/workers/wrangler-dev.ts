import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../server/spawn-server";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

export interface WranglerDev {
  url: string;
  output(): string;
  /** JSON over HTTP with the admin key. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
  stop(): Promise<void>;
}

/**
 * `wrangler dev` as the README starts it: workerd on this machine, local Workflows state in a
 * temporary folder, PostgreSQL through the Hyperdrive binding's local connection string, vars
 * from --var, and --test-scheduled for the Cron Trigger. No network beyond 127.0.0.1.
 */
export async function startWranglerDev(o: {
  databaseUrl: string;
  adminKey: string;
  vars: Record<string, string>;
  /** How long to wait for "Ready on" (default 60 s; a benchmark on a loaded machine passes more). */
  readyTimeoutMs?: number;
}): Promise<WranglerDev> {
  const port = await freePort();
  const state = await mkdtemp(join(tmpdir(), "sj-wrangler-"));
  const vars = { SELFJUDGE_ADMIN_KEY: o.adminKey, ...o.vars };
  const args = [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--test-scheduled", "--persist-to", state];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: o.databaseUrl,
      WRANGLER_SEND_METRICS: "false",
      CI: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    // wrangler runs workerd in children: end the whole group it leads (it was started detached).
    if (!exited) process.kill(-child.pid!, "SIGTERM");
    await Promise.race([exit, new Promise((r) => setTimeout(r, 5_000))]);
    if (!exited) process.kill(-child.pid!, "SIGKILL");
    await rm(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000);
  while (!out.includes(`Ready on ${url}`)) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => out,
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${o.adminKey}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json: any;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text };
    },
    stop,
  };
}
