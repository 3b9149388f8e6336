import { z } from "@hono/zod-openapi";

/** The optional `evaluator` selector every route takes (body field on writes, query on reads). */
export const EvaluatorSelector = z
  .string()
  .min(1)
  .max(63)
  .optional()
  .openapi({ description: "Evaluator name; default `default`" });

/**
 * An ISO 8601 date-time with offset that is also a real instant PostgreSQL can store
 * (years 0001-9999, no February 30th): bad ones are a 422, never a database error.
 */
export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const ms = Date.parse(s);
    if (!Number.isFinite(ms)) return false;
    const year = new Date(ms).getUTCFullYear();
    if (year < 1 || year > 9999) return false;
    // The calendar date as written must exist (Date.parse rolls 2026-02-30 over to March 2nd).
    const [y, m, d] = s.slice(0, 10).split("-").map(Number) as [number, number, number];
    const check = new Date(Date.UTC(2000, m - 1, d));
    check.setUTCFullYear(y);
    return check.getUTCMonth() === m - 1 && check.getUTCDate() === d;
  }, "not a real date-time in the years 0001-9999");
