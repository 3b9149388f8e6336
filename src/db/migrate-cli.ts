// `npm run db:migrate`: applies drizzle/ migrations to the configured database and exits.
import { parseConfig } from "../config";
import { openDatabase } from "./client";
import { runMigrations } from "./migrate";

const config = parseConfig(process.env);
const database = await openDatabase(config);
try {
  await runMigrations(database);
  console.log(`migrations applied (${database.kind})`);
} finally {
  await database.close();
}
