/**
 * What the web console shows (issue 10), read in a constant number of queries per page.
 * Functions of `(deps, params)`; the console's handlers (src/ui) render them.
 */
export { versionsView, type VersionsView } from "./versions";
export { overviewView, type OverviewView } from "./overview";
