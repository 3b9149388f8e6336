// Cloudflare Workers entry. Services are built per request (Workers forbid sharing I/O objects
// across requests); PostgreSQL is reached through a Hyperdrive binding. Background jobs run on
// the Node server, so routes that need the job runner answer 503 here.
import { createApp } from "./app";
import { ConfigError, parseConfig } from "./config";
import { openPostgres } from "./db/client";
import { systemClock } from "./lib/clock";
import { consoleLogger, silentLogger } from "./lib/logger";
import { createOpenAiLlmClient } from "./llm/openai-client";
import { workerUiAssets } from "./runtime/worker-assets";

interface Env {
  HYPERDRIVE?: { connectionString: string };
  [key: string]: unknown;
}

interface ExecutionContextLike {
  waitUntil(p: Promise<unknown>): void;
}

function misconfigured(detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: "Misconfigured", status: 500, detail }), {
    status: 500,
    headers: { "content-type": "application/problem+json" },
  });
}

function stringBindings(env: Env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === "string") out[k] = v;
  if (env.HYPERDRIVE?.connectionString) out.DATABASE_URL = env.HYPERDRIVE.connectionString;
  return out;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContextLike): Promise<Response> {
    let config;
    try {
      config = parseConfig(stringBindings(env));
    } catch (err) {
      return misconfigured(err instanceof ConfigError ? err.message : "invalid configuration");
    }
    if (!config.databaseUrl) return misconfigured("bind HYPERDRIVE or set DATABASE_URL");
    // A Worker is always reachable from the internet, so auth-off (the Node server's loopback
    // mode) would be an open judge on someone else's LLM bill.
    if (!config.adminKey) {
      return misconfigured("SELFJUDGE_ADMIN_KEY is not set: `wrangler secret put SELFJUDGE_ADMIN_KEY` (or .dev.vars locally)");
    }
    const database = await openPostgres(config.databaseUrl, { max: 1 });
    const logger = config.logLevel === "silent" ? silentLogger : consoleLogger({ service: "selfjudge" });
    const app = createApp({
      config,
      database,
      llm: createOpenAiLlmClient({ ...config.llm, logger }),
      clock: systemClock,
      logger,
      uiAssets: workerUiAssets(),
    });
    try {
      return await app.fetch(request);
    } finally {
      ctx.waitUntil(database.close());
    }
  },
};
