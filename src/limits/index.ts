/** Rate limits (requests per minute) and LLM token budgets per caller, shared through the database. */
export { checkTokenBudget, spendTokens, takeRequest, type LimitState } from "./limits";
