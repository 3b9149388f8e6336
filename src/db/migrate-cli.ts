// `npm run db:migrate`: applies drizzle/ migrations to the configured database and exits. It
// also seeds `default` (JUDGE_MODEL as v1), because the Worker never runs startup itself.
import { ConfigError, parseConfig } from "../config";
import { ensureDefaultEvaluator } from "../evaluators/bootstrap";
import { openDatabase } from "./client";
import { runMigrations } from "./migrate";

let config;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
}
try {
  const database = await openDatabase(config);
  try {
    await runMigrations(database);
    await ensureDefaultEvaluator(database.db, config, new Date());
    console.log(`migrations applied (${database.kind}); evaluator 'default' present`);
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exit(1);
}
