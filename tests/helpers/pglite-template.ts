import { createHash } from "node:crypto";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openPglite } from "../../src/db/client";
import { runMigrations } from "../../src/db/migrate";
import { createPgBossQueue } from "../../src/jobs/pg-boss";
import { silentLogger } from "../../src/lib/logger";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

// The template is keyed by everything that shapes the schema, so a new migration or a pg-boss
// upgrade builds a fresh one instead of reusing a stale dump.
async function templateKey(): Promise<string> {
  const h = createHash("sha256");
  const dir = join(ROOT, "drizzle");
  for (const f of (await readdir(dir, { recursive: true })).sort()) {
    if (f.endsWith(".sql") || f.endsWith(".json")) h.update(f).update(await readFile(join(dir, f)));
  }
  h.update(await readFile(join(ROOT, "node_modules/pg-boss/package.json")));
  h.update(await readFile(join(ROOT, "node_modules/@electric-sql/pglite/package.json")));
  return h.digest("hex").slice(0, 16);
}

/**
 * A dump of an in-memory PGlite with our migrations and pg-boss's schema applied, cached on disk
 * and shared by every test worker.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const path = join(tmpdir(), `selfjudge-pglite-template-${await templateKey()}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    // Not built yet: build it below.
  }
  const database = await openPglite();
  try {
    await runMigrations(database);
    const boss = await createPgBossQueue(database, silentLogger);
    await boss.stop();
    const blob = await database.pglite!.dumpDataDir("none");
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
    await rename(tmp, path);
    return blob;
  } finally {
    await database.close();
  }
}
