/**
 * The held-out set and human feedback: the labelled pairs the promotion gate measures on.
 * Import formats (JSON body, JSONL upload) are parsed at the HTTP edge (routes/heldout) into
 * `HeldoutItemInput[]`; everything after that is here.
 */
export { importHeldout, listHeldout, recordFeedback, type FeedbackOutcome, type HeldoutItemInput } from "./service";
export type { HeldoutRow } from "../db/queries/heldout";
