// Node entry: parse config, wire real services, serve, and shut down cleanly on signals.
import { serve } from "@hono/node-server";
import pino from "pino";
import { createApp } from "./app";
import { ConfigError, isLoopbackHost, parseConfig } from "./config";
import { createNodeDeps } from "./runtime/node-deps";

let config;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const logger = pino({ level: config.logLevel, base: { service: "selfjudge" } });

if (!config.adminKey) {
  if (!isLoopbackHost(config.host)) {
    logger.fatal(
      { host: config.host },
      "refusing to bind a non-loopback address without SELFJUDGE_ADMIN_KEY: set it, or use HOST=127.0.0.1",
    );
    process.exit(2);
  }
  logger.warn("SELFJUDGE_ADMIN_KEY is not set: authentication is OFF (loopback only)");
}

let wired;
try {
  wired = await createNodeDeps(config, logger);
} catch (err) {
  // Startup failures (data folder in use, database unreachable, bad migration) are fatal and
  // should read as one clear line, not a stack trace.
  logger.fatal({ err: (err as Error).message }, "startup failed");
  process.exit(1);
}
const { deps, close } = wired;
const app = createApp(deps);
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info(
    { url: `http://${info.address.includes(":") ? `[${info.address}]` : info.address}:${info.port}`, database: deps.database.kind },
    "selfjudge listening",
  );
});

// METRICS_PORT: /metrics alone, without auth, for a scraper on a private network.
const metricsServer =
  config.metricsPort !== undefined && deps.metrics
    ? serve(
        {
          fetch: async (req) => {
            if (new URL(req.url).pathname !== "/metrics") return new Response("not found\n", { status: 404 });
            const { contentType, body } = await deps.metrics!.render();
            return new Response(body, { headers: { "content-type": contentType } });
          },
          port: config.metricsPort,
          hostname: config.host,
        },
        (info) => logger.info({ port: info.port }, "metrics listening"),
      )
    : undefined;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
  await close();
  logger.info("bye");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
