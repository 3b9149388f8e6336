import type { DatasetItemRow, DatasetRow } from "../../db/queries/datasets";

// Pure: rows in, response bodies out (no database access).

export function presentDataset(d: DatasetRow) {
  return {
    id: d.id,
    name: d.name,
    format: d.format,
    items: d.itemCount,
    received: d.received,
    duplicates: d.duplicates,
    subsets: d.subsets,
    created_at: d.createdAt.toISOString(),
  };
}

export function presentDatasetItem(i: DatasetItemRow) {
  return {
    id: i.id,
    seq: i.seq,
    subset: i.subset,
    external_id: i.externalId,
    instruction: i.instruction,
    ...(i.dialogue ?? {}),
    response_a: i.responseA,
    response_b: i.responseB,
    label: i.label,
    meta: i.meta,
  };
}

/** Items are paged in file order; the cursor is the last seq, opaque to clients. */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString("base64url");
}

export function decodeSeqCursor(cursor: string): number | null {
  const m = /^seq:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return m ? Number(m[1]) : null;
}
