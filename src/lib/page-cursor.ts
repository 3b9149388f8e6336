import { ApiError } from "./errors";
import { isUuid } from "./uuid";

/** A keyset position in a newest-first listing: created_at as the database's microsecond text, then id. */
export type PageCursor = { ts: string; id: string };

const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A well-formed timestamp that is also a real date (no month 13, no 25:00) in years 1..9999. */
function isRealTimestamp(ts: string): boolean {
  if (!TS_RE.test(ts)) return false;
  const ms = Date.parse(ts);
  if (!Number.isFinite(ms)) return false;
  // Date.parse rolls some impossible values over (Feb 30 → Mar 2): it must round-trip.
  return new Date(ms).toISOString().slice(0, 19) === ts.slice(0, 19) && ts.slice(0, 4) !== "0000";
}

/** Opaque to clients; base64url JSON so it survives a query string untouched. */
export function encodePageCursor(c: PageCursor): string {
  return Buffer.from(JSON.stringify([c.ts, c.id])).toString("base64url");
}

export function decodePageCursor(s: string): PageCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string" && isRealTimestamp(v[0]) && isUuid(v[1])) {
      return { ts: v[0], id: v[1] };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ApiError("validation_failed", "cursor: not a next_cursor this API returned", {
    errors: [{ path: "cursor", message: "invalid cursor" }],
  });
}

/** The `after` option of a listing query from the request's `cursor` (none on the first page). */
export function afterCursor(cursor: string | undefined): { after?: PageCursor } {
  return cursor ? { after: decodePageCursor(cursor) } : {};
}

/** The `next_cursor` a listing answers with: null on the last page. */
export function nextCursor(next: PageCursor | null): string | null {
  return next ? encodePageCursor(next) : null;
}
