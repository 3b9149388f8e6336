import type { StepApi } from "../../src/workflows/drive";

/**
 * A stand-in for a Workflow's `step`: runs each step once, in order, and records what the real
 * engine would persist (each step's result, serialised) and the sleeps asked for, without
 * sleeping. `before` / `after` run around each step (to measure it, or act between steps).
 */
export function recordingStep(opts: { before?: (name: string) => Promise<void> | void; after?: (name: string) => void } = {}) {
  const steps: Array<{ name: string; bytes: number; result: unknown }> = [];
  const sleeps: Array<{ name: string; ms: number }> = [];
  const step: StepApi = {
    async do(name, _config, fn) {
      if (steps.some((s) => s.name === name)) throw new Error(`step name reused: ${name}`);
      await opts.before?.(name);
      const result = await fn();
      opts.after?.(name);
      steps.push({ name, bytes: JSON.stringify(result).length, result });
      return result;
    },
    async sleep(name, ms) {
      sleeps.push({ name, ms });
    },
  };
  return { step, steps, sleeps };
}
