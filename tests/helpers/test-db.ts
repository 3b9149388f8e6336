import postgres from "postgres";
import { openPglite, openPostgres, type Database } from "../../src/db/client";
import { runMigrations } from "../../src/db/migrate";
import { pgliteTemplate } from "./pglite-template";

/** True when the suite runs its PostgreSQL leg (DATABASE_URL set), false on embedded PGlite. */
export const ON_POSTGRES = Boolean(process.env.DATABASE_URL);

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or (PostgreSQL leg) a new
 * database created on the server at DATABASE_URL and dropped on cleanup, so files never share rows.
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    // Starting from a migrated dump skips initdb and migrations: ~1 s instead of ~5 s a file.
    const database = await openPglite(undefined, { loadDataDir: await pgliteTemplate() });
    await runMigrations(database);
    return database;
  }
  const scratch = await createScratchPostgres(url);
  const database = await openPostgres(scratch.url);
  await runMigrations(database);
  const close = database.close;
  database.close = async () => {
    await close();
    await scratch.drop();
  };
  return database;
}

/**
 * A new, empty database on the server at `serverUrl` (default DATABASE_URL), for tests and
 * benchmarks that need their own; `drop()` removes it even while connections remain.
 */
export async function createScratchPostgres(
  serverUrl = process.env.DATABASE_URL,
  prefix = "sj_test",
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error("createScratchPostgres needs DATABASE_URL");
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}
