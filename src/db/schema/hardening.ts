import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// Production hardening (issue 9): idempotent POSTs and shared rate-limit / budget counters.

/** The first response to a POST with an Idempotency-Key, replayed for 24 h to the same caller. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    // "<caller> <method> <path> <Idempotency-Key>": keys never collide across callers or routes.
    key: text("key").primaryKey(),
    requestHash: text("request_hash").notNull(),
    // null while the first request is still running.
    status: integer("status"),
    body: text("body"),
    contentType: text("content_type"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("idempotency_keys_created_idx").on(t.createdAt)],
);

/** Fixed-window counters (requests per minute, tokens per day) shared by every instance. */
export const rateCounters = pgTable(
  "rate_counters",
  {
    subject: text("subject").notNull(),
    window: text("window").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.window] }), index("rate_counters_expires_idx").on(t.expiresAt)],
);

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
