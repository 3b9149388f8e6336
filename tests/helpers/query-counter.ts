import type { Database } from "../../src/db/client";

/**
 * Counts the statements the app sends to the database, at the driver (PGlite's `query`,
 * postgres.js's `unsafe`, which is what drizzle calls for every statement).
 */
export function countQueries(database: Database): { reset(): void; readonly count: number; restore(): void } {
  let n = 0;
  const target = (database.pglite ?? database.sql) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const method = database.pglite ? "query" : "unsafe";
  const original = target[method]!;
  target[method] = function (this: unknown, ...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  return {
    reset: () => void (n = 0),
    get count() {
      return n;
    },
    restore: () => void (target[method] = original),
  };
}
