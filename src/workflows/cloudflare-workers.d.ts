// The part of workerd's built-in "cloudflare:workers" module that src/workflows uses (the full
// types are in @cloudflare/workers-types, whose globals clash with @types/node in one program).
declare module "cloudflare:workers" {
  export type WorkflowEvent<T> = { payload: Readonly<T>; timestamp: Date; instanceId: string };
  export interface WorkflowStep {
    do<T>(name: string, config: object, callback: () => Promise<T>): Promise<T>;
    sleep(name: string, duration: number | string): Promise<void>;
  }
  export abstract class WorkflowEntrypoint<Env = unknown, T = unknown> {
    protected ctx: { waitUntil(promise: Promise<unknown>): void };
    protected env: Env;
    constructor(ctx: unknown, env: Env);
    run(event: Readonly<WorkflowEvent<T>>, step: WorkflowStep): Promise<unknown>;
  }
}
