/** API keys: admin or judge scope, stored hashed; the middleware (src/middleware/auth.ts) checks them. */
export { createKey, listKeys, revokeKey, type CreateKeyParams, type KeyWithEvaluators } from "./service";
export type { KeyRow } from "../db/queries/keys";
