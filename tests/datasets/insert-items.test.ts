import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client";
import { insertImportingDataset, insertItems, listItems } from "../../src/db/queries/datasets";
import { insertEvaluator } from "../../src/evaluators/bootstrap";
import { createTestDatabase } from "../helpers/test-db";

// insertItems sends a batch as one statement with 12 parameters a row; the drivers allow 65,534.

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe("insertItems", () => {
  it("stores a batch larger than one statement's parameters allow, skipping content already stored, and counts what it inserted per subset", async () => {
    const ev = await insertEvaluator(database.db, { name: "items", description: "", seedModel: "m" }, new Date());
    const ds = (await insertImportingDataset(database.db, { evaluatorId: ev.id, name: "big", format: "pairs", actor: null }))!;
    const row = (i: number) => ({
      datasetId: ds.id,
      seq: i,
      subset: i % 2 === 0 ? "even" : "odd",
      externalId: i === 0 ? null : String(i),
      instruction: `q${i}`,
      dialogue: i === 1 ? { conversation: [{ role: "user" as const, content: "hi" }] } : null,
      responseA: "a",
      responseB: "b",
      label: "A" as const,
      meta: { n: i },
      pairHash: `p${i}`,
      contentHash: `c${i}`,
    });
    const rows = Array.from({ length: 6000 }, (_, i) => row(i));
    expect(rows.length * 12).toBeGreaterThan(65_534);
    expect(await insertItems(database, rows)).toEqual({ even: 3000, odd: 3000 });
    expect(await insertItems(database, [row(6000), row(5), row(7)])).toEqual({ even: 1 });
    const { rows: first } = await listItems(database.db, { datasetId: ds.id, limit: 2 });
    expect(first.map((r) => [r.externalId, r.dialogue, r.meta])).toEqual([
      [null, null, { n: 0 }],
      ["1", { conversation: [{ role: "user", content: "hi" }] }, { n: 1 }],
    ]);
  });
});
