// The JSON shapes stored in training_runs' jsonb columns (typed there with `.$type<>()`), so
// reading a run needs no casts. The training loop (src/training) is their only writer.

/** What a run has finished, persisted in training_runs.state so a restart skips it. */
export interface RunState {
  /** The version active when the run started: prompt template and model candidates build on. */
  base_version_id?: string;
  /** Curation pass 1 (split assignment): the last pool seq done, and whether the pass finished. */
  split_cursor?: number;
  split_done?: boolean;
  curated?: boolean;
  curate_stats?: Record<string, number>;
  synthesized?: boolean;
  iters?: Record<string, IterationState>;
}

export interface IterationState {
  annotator_version_id?: string;
  annotated?: boolean;
  annotate_failed?: number;
  selected?: boolean;
  /** Pairs the consistency filter dropped (right in one answer order only). */
  dropped_inconsistent?: number;
  /** When the iteration's training data became exportable: an external model is newer than this. */
  selected_at?: string;
  candidate_version_id?: string;
  trainer?: Record<string, unknown>;
  evaluation_id?: string;
  done?: boolean;
}

/** One entry of training_runs.iterations: what each iteration produced and what the gate said. */
export type IterationRecord = {
  iteration: number;
  status: "annotating" | "training" | "waiting_external" | "evaluating" | "promoted" | "passed" | "rejected" | "failed" | "canceled";
  /** Why the iteration failed (the run's error), when it did. */
  error?: string;
  annotator: { id: string; name: string; model: string } | null;
  counters: Record<string, number>;
  candidate: { id: string; name: string; model: string } | null;
  training: Record<string, unknown> | null;
  evaluation: { id: string; metrics: Record<string, unknown> } | null;
  decision: Record<string, unknown> | null;
  promoted: boolean;
  finished_at: string | null;
};
