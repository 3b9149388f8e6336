// Stand-in for workerd's built-in "cloudflare:workers" module when Node (vitest) imports
// src/worker.ts: only the base class the Workflows extend. Test-only; wrangler bundles the real one.
export abstract class WorkflowEntrypoint<Env = unknown> {
  protected ctx: unknown;
  protected env: Env;
  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}
