import { sql } from "drizzle-orm";
import { rawRows, type Db } from "../client";

/** Unfinished training runs by status and current step, with that step's progress summed (one query). */
export async function trainingProgressSummary(db: Db) {
  const rows = await rawRows<{ status: string; step: string; runs: number | string; done: number | string; total: number | string }>(
    db,
    sql`select status, coalesce(current_step, 'none') as step, count(*) as runs,
          coalesce(sum((progress -> current_step ->> 'done')::numeric), 0) as done,
          coalesce(sum((progress -> current_step ->> 'total')::numeric), 0) as total
        from training_runs
        where status in ('queued', 'running', 'waiting_external')
        group by 1, 2`,
  );
  return rows.map((r) => ({ status: r.status, step: r.step, runs: Number(r.runs), done: Number(r.done), total: Number(r.total) }));
}
