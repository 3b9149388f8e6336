import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rawRows } from "../client";
import { trainingPairs, traffic } from "../schema";

export type PoolRow = {
  id: string;
  seq: number;
  hash: string;
  split: "train" | "heldout" | "excluded" | null;
  category: string | null;
  length: number;
};

/** One page of an evaluator's pool by seq, without the instruction texts (memory stays flat). */
export async function poolPage(
  db: Db,
  evaluatorId: string,
  opts: { afterSeq: number; maxSeq: number; limit: number },
): Promise<PoolRow[]> {
  const rows = await rawRows<PoolRow>(
    db,
    sql`select ${traffic.id} as id, ${traffic.seq} as seq, ${traffic.hash} as hash, ${traffic.split} as split,
               ${traffic.category} as category, char_length(${traffic.instruction}) as length
          from ${traffic}
         where ${traffic.evaluatorId} = ${evaluatorId} and ${traffic.seq} > ${opts.afterSeq} and ${traffic.seq} <= ${opts.maxSeq}
         order by ${traffic.seq}
         limit ${opts.limit}`,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq), length: Number(r.length) }));
}

export async function countPool(db: Db, evaluatorId: string, maxSeq: number): Promise<number> {
  const [row] = await rawRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${traffic} where ${traffic.evaluatorId} = ${evaluatorId} and ${traffic.seq} <= ${maxSeq}`,
  );
  return Number(row?.n ?? 0);
}

export async function countSplit(db: Db, evaluatorId: string, maxSeq: number, split: "train" | "heldout"): Promise<number> {
  const [row] = await rawRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${traffic}
         where ${traffic.evaluatorId} = ${evaluatorId} and ${traffic.seq} <= ${maxSeq} and ${traffic.split} = ${split}`,
  );
  return Number(row?.n ?? 0);
}

/** Assigns a split once: a row that already has one keeps it, so held-out stays held-out forever. */
export async function assignSplit(db: Db, ids: string[], split: "train" | "heldout" | "excluded"): Promise<void> {
  if (ids.length === 0) return;
  await db.update(traffic).set({ split }).where(and(inArray(traffic.id, ids), isNull(traffic.split)));
}

export async function instructionsOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: traffic.id, instruction: traffic.instruction }).from(traffic).where(inArray(traffic.id, ids));
  return new Map(rows.map((r) => [r.id, r.instruction]));
}

/** Stores a classification once; a concurrent or earlier one wins (categories are never recomputed). */
export async function setCategory(db: Db, id: string, category: string): Promise<void> {
  await db.update(traffic).set({ category }).where(and(eq(traffic.id, id), isNull(traffic.category)));
}

/** Held-out instructions that some run already turned into a held-out pair (never synthesised twice). */
export async function heldoutAlreadyBuilt(db: Db, trafficIds: string[]): Promise<Set<string>> {
  if (trafficIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: trainingPairs.trafficId })
    .from(trainingPairs)
    .where(and(inArray(trainingPairs.trafficId, trafficIds), eq(trainingPairs.split, "heldout"), eq(trainingPairs.status, "built")));
  return new Set(rows.map((r) => r.id));
}

export type TrafficStatRow = { source: string; category: string | null; split: string | null; n: number };

export async function trafficStats(db: Db, evaluatorId: string): Promise<TrafficStatRow[]> {
  const rows = await rawRows<TrafficStatRow>(
    db,
    sql`select ${traffic.source} as source, ${traffic.category} as category, ${traffic.split} as split, count(*)::int as n
          from ${traffic} where ${traffic.evaluatorId} = ${evaluatorId}
         group by 1, 2, 3`,
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
