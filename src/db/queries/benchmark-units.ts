import { and, asc, eq, ne, sql } from "drizzle-orm";
import { rawRows, type Db } from "../client";
import { datasetItems, evaluationDatasetUnits as units, type UnitOrders } from "../schema";

// The resumable units of a benchmark evaluation: one per (evaluation, judged pair, version).

/**
 * Fixes an evaluation's sample: one pending unit per selected pair and version. `quota` caps the
 * pairs taken per subset (a stratified sample; within a subset pairs are taken in pair-hash order,
 * which is random but the same for every evaluation, so two evaluations of one limit compare the
 * same pairs); null takes every pair. Returns the number of units created.
 */
export async function createUnits(
  db: Db,
  p: { evaluationId: string; datasetId: string; versionIds: string[]; subsets?: string[]; quota: Record<string, number> | null },
): Promise<number> {
  const subsetFilter = p.subsets && p.subsets.length > 0 ? sql`and subset in (${sql.join(p.subsets.map((s) => sql`${s}`), sql`, `)})` : sql``;
  const versions = sql.join(p.versionIds.map((v) => sql`(${v}::uuid)`), sql`, `);
  const quota = p.quota === null ? sql`true` : sql`x.rn <= coalesce((${JSON.stringify(p.quota)}::jsonb ->> x.subset)::int, 0)`;
  const rows = await rawRows<{ n: number }>(
    db,
    sql`with inserted as (
          insert into evaluation_dataset_units (evaluation_id, pair_hash, version_id, subset)
          select ${p.evaluationId}::uuid, x.pair_hash, v.vid, x.subset
          from (
            select d.pair_hash, d.subset, row_number() over (partition by d.subset order by d.pair_hash) as rn
            from (
              select distinct on (pair_hash) pair_hash, subset from dataset_items
              where dataset_id = ${p.datasetId}::uuid ${subsetFilter}
              order by pair_hash, seq
            ) d
          ) x
          cross join (values ${versions}) as v(vid)
          where ${quota}
          on conflict do nothing
          returning 1
        )
        select count(*)::int as n from inserted`,
  );
  return Number(rows[0]?.n ?? 0);
}

export interface PendingUnit {
  pairHash: string;
  versionId: string;
  instruction: string;
  dialogue: (typeof datasetItems.$inferSelect)["dialogue"];
  responseA: string;
  responseB: string;
}

/** Units not yet done (pending, or failed and to be retried), with the pair to judge, in key order. */
export async function pendingUnitsPage(
  db: Db,
  p: { evaluationId: string; datasetId: string; after: { pairHash: string; versionId: string } | null; limit: number },
): Promise<PendingUnit[]> {
  return db
    .selectDistinctOn([units.pairHash, units.versionId], {
      pairHash: units.pairHash,
      versionId: units.versionId,
      instruction: datasetItems.instruction,
      dialogue: datasetItems.dialogue,
      responseA: datasetItems.responseA,
      responseB: datasetItems.responseB,
    })
    .from(units)
    .innerJoin(datasetItems, and(eq(datasetItems.datasetId, p.datasetId), eq(datasetItems.pairHash, units.pairHash)))
    .where(
      and(
        eq(units.evaluationId, p.evaluationId),
        ne(units.status, "done"),
        p.after ? sql`(${units.pairHash}, ${units.versionId}) > (${p.after.pairHash}, ${p.after.versionId}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(units.pairHash), asc(units.versionId), asc(datasetItems.seq))
    .limit(p.limit);
}

/** Stores a unit's outcome; a unit already done is never overwritten. */
export async function recordBenchUnit(
  db: Db,
  key: { evaluationId: string; pairHash: string; versionId: string },
  r: {
    status: "done" | "failed";
    verdict: "A" | "B" | "tie" | null;
    orders: UnitOrders | null;
    invalidVotes: number;
    totalVotes: number;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .update(units)
    .set(r)
    .where(
      and(
        eq(units.evaluationId, key.evaluationId),
        eq(units.pairHash, key.pairHash),
        eq(units.versionId, key.versionId),
        ne(units.status, "done"),
      ),
    );
}

export async function countDoneUnits(db: Db, evaluationId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(units)
    .where(and(eq(units.evaluationId, evaluationId), eq(units.status, "done")));
  return row?.n ?? 0;
}

/**
 * Every dataset row of the sample with its judged unit, per version: what the scorers need and no
 * texts (lengths only). A pair labelled by several people yields one row per label.
 */
export async function scoredBenchRows(db: Db, p: { evaluationId: string; datasetId: string }) {
  return db
    .select({
      itemId: datasetItems.id,
      pairHash: units.pairHash,
      subset: datasetItems.subset,
      label: datasetItems.label,
      meta: datasetItems.meta,
      lenA: sql<number>`length(${datasetItems.responseA})::int`,
      lenB: sql<number>`length(${datasetItems.responseB})::int`,
      versionId: units.versionId,
      status: units.status,
      verdict: units.verdict,
      orders: units.orders,
      invalidVotes: units.invalidVotes,
      totalVotes: units.totalVotes,
      usage: sql<Record<string, number> | null>`${units.detail} -> 'usage'`,
      confidence: sql<number | null>`(${units.detail} ->> 'confidence')::float8`,
      confidenceSource: sql<"logprobs" | "votes" | null>`${units.detail} ->> 'confidence_source'`,
    })
    .from(units)
    .innerJoin(datasetItems, and(eq(datasetItems.datasetId, p.datasetId), eq(datasetItems.pairHash, units.pairHash)))
    .where(eq(units.evaluationId, p.evaluationId))
    .orderBy(asc(datasetItems.seq));
}
