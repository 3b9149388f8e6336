import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { traffic } from "../schema";
import { sha256Hex } from "../../lib/hash";

/** Whitespace- and case-folded form, so trivially different copies of a prompt dedupe. */
export function normalizeInstruction(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

export async function instructionHash(instruction: string): Promise<string> {
  return sha256Hex(normalizeInstruction(instruction));
}

export type TrafficInput = {
  instruction: string;
  response?: string | null;
  metadata?: Record<string, unknown> | null;
};

/**
 * Adds instructions to an evaluator's unlabeled pool, skipping ones already there.
 * Returns how many were new.
 */
export async function addToPool(
  db: Db,
  evaluatorId: string,
  source: "judge" | "ingest",
  items: TrafficInput[],
): Promise<{ inserted: number; duplicates: number }> {
  if (items.length === 0) return { inserted: 0, duplicates: 0 };
  const rows = await Promise.all(
    items.map(async (i) => ({
      evaluatorId,
      instruction: i.instruction,
      response: i.response ?? null,
      metadata: i.metadata ?? null,
      source,
      hash: await instructionHash(i.instruction),
    })),
  );
  const inserted = await db
    .insert(traffic)
    .values(rows)
    .onConflictDoNothing({ target: [traffic.evaluatorId, traffic.hash] })
    .returning({ id: traffic.id });
  return { inserted: inserted.length, duplicates: items.length - inserted.length };
}

export async function poolSize(db: Db, evaluatorId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(traffic)
    .where(sql`${traffic.evaluatorId} = ${evaluatorId}`);
  return row?.n ?? 0;
}
