// Cloudflare Workers entry: the HTTP API (fetch), the Cron Trigger (scheduled) and the two
// Workflows that run evaluations and training runs. Services are built per invocation (Workers
// forbid sharing I/O objects across requests); PostgreSQL is reached through Hyperdrive.
import { createApp } from "./app";
import { openWorkerDeps, workerConfig, WorkerSetupError, type WorkerEnv } from "./runtime/cloudflare-deps";
import { runCron } from "./workflows/cron";

export { EvaluationWorkflow, TrainingWorkflow } from "./workflows/entrypoints";

interface ExecutionContextLike {
  waitUntil(p: Promise<unknown>): void;
}

function misconfigured(detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: "Misconfigured", status: 500, detail }), {
    status: 500,
    headers: { "content-type": "application/problem+json" },
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
    let config;
    try {
      config = workerConfig(env);
    } catch (err) {
      if (err instanceof WorkerSetupError) return misconfigured(err.message);
      throw err;
    }
    const { deps, close } = await openWorkerDeps(env, config);
    const app = createApp(deps);
    try {
      return await app.fetch(request);
    } finally {
      ctx.waitUntil(close());
    }
  },

  /** The Cron Trigger ([triggers] crons): the training schedule check and the sweep of dead instances. */
  async scheduled(_controller: unknown, env: WorkerEnv, ctx: ExecutionContextLike): Promise<void> {
    const work = async () => {
      const { deps, close } = await openWorkerDeps(env, workerConfig(env));
      try {
        if (!deps.jobs) {
          deps.logger.warn("cron tick skipped: JOBS_ENABLED=false or no Workflow bindings");
          return;
        }
        const report = await runCron({ ...deps, jobs: deps.jobs });
        deps.logger.info({ ...report }, "cron tick");
      } finally {
        await close();
      }
    };
    ctx.waitUntil(work());
  },
};
