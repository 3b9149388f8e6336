import { desc, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { PageCursor } from "../../lib/page-cursor";

/**
 * Newest-first keyset paging on (created_at, id), shared by every listing. A JS Date keeps
 * milliseconds and PostgreSQL microseconds: a cursor built from a Date would re-serve rows
 * created within the same millisecond, so the cursor carries the database's own text.
 */
export function keyset(createdAt: PgColumn, id: PgColumn) {
  return {
    cursorTs: sql<string>`to_char(${createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    /** Rows after `after` in the listing order; undefined (no condition) on the first page. */
    after: (after?: PageCursor): SQL | undefined =>
      after ? sql`(${createdAt}, ${id}) < (${after.ts}::timestamptz, ${after.id}::uuid)` : undefined,
    orderBy: [desc(createdAt), desc(id)] as const,
  };
}

/** Cuts a `limit + 1` fetch down to one page, with the cursor of its last row when more exist. */
export function takePage<R>(rows: R[], limit: number, cursorOf: (r: R) => PageCursor): { page: R[]; next: PageCursor | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next: rows.length > limit && last ? cursorOf(last) : null };
}
