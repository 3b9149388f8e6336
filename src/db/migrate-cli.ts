// `npm run db:migrate`: applies drizzle/ migrations to the configured database and exits. It
// also seeds `default` (JUDGE_MODEL as v1), because the Worker never runs startup itself.
import { parseConfig } from "../config";
import { ensureDefaultEvaluator } from "./bootstrap";
import { openDatabase } from "./client";
import { runMigrations } from "./migrate";

const config = parseConfig(process.env);
const database = await openDatabase(config);
try {
  await runMigrations(database);
  await ensureDefaultEvaluator(database.db, config, new Date());
  console.log(`migrations applied (${database.kind}); evaluator 'default' present`);
} finally {
  await database.close();
}
