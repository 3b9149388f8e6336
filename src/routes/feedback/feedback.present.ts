import type { FeedbackOutcome } from "../../heldout";
import { presentHeldout } from "../heldout/heldout.present";

// Pure: rows in, response bodies out (no database access).

export function presentFeedback(o: FeedbackOutcome, preferred: string) {
  return {
    created: o.created,
    judgment_id: o.judgment.id,
    judge_verdict: o.judgment.verdict,
    agrees: o.judgment.verdict === preferred,
    heldout_item: presentHeldout(o.item),
  };
}
