import type { JobQueue } from "../jobs/queue";

/**
 * The job seam on Cloudflare Workers: "continue X" starts (or keeps) the Workflow instance named
 * X. A queue name maps to a Workflow binding; the singleton key is the instance id, so sending
 * for a run whose instance is alive is a no-op, and one whose instance ended (finished waiting
 * for an external model, errored, terminated) is restarted from the beginning: the workflow
 * replays nothing, the run's own state in PostgreSQL says where it is. Speaks to the Workflows
 * binding only; the types below are the part of it this uses.
 */
export interface WorkflowInstanceHandle {
  id: string;
  status(): Promise<{ status: string }>;
  terminate(): Promise<void>;
  restart(): Promise<void>;
}

export interface WorkflowBinding {
  create(options: { id?: string; params?: unknown }): Promise<{ id: string }>;
  get(id: string): Promise<WorkflowInstanceHandle>;
}

/** Statuses of an instance that is still going (or about to): sending again changes nothing. */
const LIVE = new Set(["queued", "running", "waiting", "paused", "waitingForPause"]);
/** Statuses `terminate()` accepts. */
const TERMINABLE = new Set(["queued", "running", "waiting", "paused", "waitingForPause"]);

export function createWorkflowQueue(bindings: Record<string, WorkflowBinding | undefined>): JobQueue {
  const bindingOf = (name: string): WorkflowBinding => {
    const binding = bindings[name];
    if (!binding) throw new Error(`no Workflow binding serves the queue '${name}' (see wrangler.toml [[workflows]])`);
    return binding;
  };
  const find = async (binding: WorkflowBinding, id: string): Promise<WorkflowInstanceHandle | null> => {
    try {
      return await binding.get(id);
    } catch {
      return null; // not found
    }
  };
  return {
    async ensureQueue() {},
    async send(name, data, opts = {}) {
      const binding = bindingOf(name);
      const id = opts.singletonKey ?? crypto.randomUUID();
      const params = { ...data, ...(opts.startAfterSeconds ? { startAfterSeconds: opts.startAfterSeconds } : {}) };
      const existing = await find(binding, id);
      if (existing) {
        const { status } = await existing.status();
        if (LIVE.has(status)) return id;
        await existing.restart();
        return id;
      }
      try {
        await binding.create({ id, params });
      } catch (err) {
        // Two senders raced to create the same instance: the other one won, which is the point.
        if (!(await find(binding, id))) throw err;
      }
      return id;
    },
    async work() {
      throw new Error("on Workers, background work runs as Workflows (src/workflows), not as in-process job handlers");
    },
    async schedule() {
      throw new Error("on Workers, the schedule is the Cron Trigger in wrangler.toml ([triggers] crons)");
    },
    async cancel(name, key) {
      const instance = await find(bindingOf(name), key);
      if (!instance) return;
      if (TERMINABLE.has((await instance.status()).status)) await instance.terminate();
    },
    async stop() {},
  };
}
