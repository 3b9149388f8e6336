import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql as sqlQuery, type SQL } from "drizzle-orm";
import type { Sql } from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The query-builder surface shared by the PGlite and postgres.js drivers. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/**
 * A transaction handle (what `db.transaction(fn)` passes to fn). It is a Db too, so every query
 * function of `(db, params)` runs inside one unchanged; a function that must run inside a
 * transaction says so by taking a Tx.
 */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Database {
  kind: "pglite" | "postgres";
  db: Db;
  /** Present for PGlite: pg-boss and checkpoints need the raw client. */
  pglite?: PGlite;
  /** Present for PostgreSQL. */
  sql?: Sql;
  connectionString?: string;
  close(): Promise<void>;
}

/** A round trip to the database (health checks); throws when it does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await rawRows(db, sqlQuery`select 1 as ok`);
}

/** Rows from a raw SQL statement, whatever the driver's result shape. */
export async function rawRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown;
  if (Array.isArray(res)) return res as T[];
  return ((res as { rows?: T[] }).rows ?? []) as T[];
}

export async function openPostgres(connectionString: string, opts: { max?: number } = {}): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const sql = postgres(connectionString, { max: opts.max ?? 10, onnotice: () => {} });
  const db = drizzle({ client: sql, schema }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    sql,
    connectionString,
    close: () => sql.end({ timeout: 5 }),
  };
}

/**
 * Embedded PGlite. `dataDir` undefined means in-memory (tests). A directory is guarded by a
 * lock file so a second process cannot open (and corrupt) the same data folder.
 */
export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob } = {}): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let releaseLock: (() => Promise<void>) | undefined;
  if (dataDir) {
    const { acquireDirLock } = await import("./dir-lock");
    releaseLock = await acquireDirLock(dataDir);
  }
  let pglite: PGlite;
  try {
    // loadDataDir starts from a dump instead of running initdb (tests use a migrated template).
    pglite = new PGlite({ dataDir, loadDataDir: opts.loadDataDir });
    await pglite.waitReady;
  } catch (err) {
    await releaseLock?.();
    throw err;
  }
  const db = drizzle({ client: pglite, schema }) as unknown as Db;
  let closed = false;
  return {
    kind: "pglite",
    db,
    pglite,
    async close() {
      if (closed) return;
      closed = true;
      try {
        // A checkpoint flushes the WAL so the next start does not have to replay it.
        if (dataDir) await pglite.query("CHECKPOINT");
      } finally {
        await pglite.close();
        await releaseLock?.();
      }
    },
  };
}

export async function openDatabase(cfg: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite(cfg.dataDir);
}
