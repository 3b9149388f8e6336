/**
 * What the web console shows (issue 10), read in a constant number of queries per page.
 * Functions of `(deps, params)`; the console's handlers (src/ui) render them.
 */
export { versionsView, type VersionsView } from "./versions";
export { overviewView, OVERVIEW_DAYS, type DayTotals, type EvaluatorSummary, type OverviewView } from "./overview";
export { judgmentsView, judgmentView, type JudgmentsQuery, type JudgmentsView, type JudgmentView } from "./judgments";
export { heldoutView, type HeldoutView } from "./heldout";
