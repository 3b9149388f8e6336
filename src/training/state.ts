import type { IterationState, RunState } from "../db/schema/training-state";

export type { IterationRecord, IterationState, RunState } from "../db/schema/training-state";

export function iterState(state: RunState, iteration: number): IterationState {
  state.iters ??= {};
  return (state.iters[String(iteration)] ??= {});
}
