import type { Database } from "../../db/client";

// Pure: what /healthz reports once the database answered.

export function presentHealth(kind: Database["kind"], now: Date) {
  return { status: "ok" as const, database: kind, time: now.toISOString() };
}
