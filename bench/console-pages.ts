// `npm run bench:console`: server time of every console page and of its data call, with 100,000
// judgments and 50 versions in PostgreSQL, one user (sequential requests); the queries each page
// sends; the plans of the judgments queries (index use); and what a browser downloads for the
// first page (compressed). Prints a Markdown report.
// Env: DATABASE_URL (server to create a scratch database on; default
// postgres://postgres@127.0.0.1:5432/test), BENCH_JUDGMENTS (100000), BENCH_ROUNDS (40).
import { sql } from "drizzle-orm";
import { createApp } from "../src/app";
import { parseConfig } from "../src/config";
import { rawRows } from "../src/db/client";
import { openPostgres } from "../src/db/client";
import { runMigrations } from "../src/db/migrate";
import { heldoutView, judgmentsView, judgmentView, overviewView, versionsView } from "../src/dashboard";
import type { AppDeps } from "../src/deps";
import { addJudgeStats } from "../src/db/queries/judge-stats";
import { createJudgeStatsRecorder } from "../src/judging/stats-recorder";
import { getEvaluation, listEvaluations } from "../src/evaluation";
import { ensureDefaultEvaluator } from "../src/evaluators/bootstrap";
import { listKeys } from "../src/keys";
import { systemClock } from "../src/lib/clock";
import { silentLogger } from "../src/lib/logger";
import { nodeUiAssets } from "../src/runtime/node-assets";
import { getTrainingRun, listTrainingRuns } from "../src/training";
import { countQueries } from "../tests/helpers/query-counter";
import { createScratchPostgres } from "../tests/helpers/test-db";

const N = Number(process.env.BENCH_JUDGMENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const pctl = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return { p50: pctl(xs, 50), p95: pctl(xs, 95) };
}

async function main() {
  const scratch = await createScratchPostgres(SERVER, "sj_bench_console");
  const database = await openPostgres(scratch.url);
  try {
    await runMigrations(database);
    const config = parseConfig({ DATABASE_URL: scratch.url, JUDGE_MODEL: "bench-judge", LOG_LEVEL: "silent", JOBS_ENABLED: "false" });
    const evaluator = await ensureDefaultEvaluator(database.db, config, new Date());
    const db = database.db;
    const t0 = performance.now();
    // 49 more versions (v2..v50) with held-out numbers, an activation history, audit events.
    await db.execute(sql`
      insert into versions (evaluator_id, number, name, model, prompt_template, status, metrics, gate_decision)
      select ${evaluator.id}::uuid, g, 'v' || g, 'bench-judge-' || g, (select prompt_template from versions where number = 1 limit 1),
             case when g % 3 = 0 then 'rejected' else 'retired' end,
             jsonb_build_object('n', 400, 'accuracy', 0.6 + g / 200.0, 'ci95', jsonb_build_array(0.55 + g / 200.0, 0.65 + g / 200.0),
                                'position_consistent_accuracy', 0.55 + g / 200.0, 'evaluation_id', gen_random_uuid()),
             jsonb_build_object('decision', case when g % 3 = 0 then 'reject' else 'promote' end, 'reasons', jsonb_build_array('bench'),
                                'comparison', jsonb_build_object('p_value', 0.01))
        from generate_series(2, 50) g`);
    await db.execute(sql`
      insert into audit_events (evaluator_id, action, from_version_id, to_version_id, actor, reason, created_at)
      select ${evaluator.id}::uuid, 'activate', a.id, b.id, 'admin-env', 'bench', now() - (50 - a.number) * interval '1 hour'
        from versions a join versions b on b.number = a.number + 1 and b.evaluator_id = a.evaluator_id
       where a.evaluator_id = ${evaluator.id} and b.status <> 'rejected' and b.number <= 40`);
    // 100,000 judgments over 30 days; instructions from a small vocabulary; 3 carry a rare word.
    await db.execute(sql`
      insert into judgments (evaluator_id, version_id, request_hash, instruction, response_a, response_b, samples, swap, status,
                             verdict, confidence, position_consistent, votes, usage, latency_ms, created_at)
      select ${evaluator.id}::uuid, (select id from versions where evaluator_id = ${evaluator.id} and number = 1 + g % 50),
             md5(g::text),
             (array['explain','write','compare','summarize','translate','debug','prove','list'])[1 + g % 8] || ' the ' ||
             (array['python','contract','poem','theorem','recipe','query','history','physics','market','essay'])[1 + (g / 8) % 10] ||
             ' item ' || g || case when g in (777, 55555, 99001) then ' zyzzyva' else '' end,
             'answer A ' || g, 'answer B ' || g, 1, true,
             case when g % 50 = 0 then 'failed' else 'ok' end,
             case when g % 50 = 0 then null when g % 3 = 0 then 'B' when g % 7 = 0 then 'tie' else 'A' end,
             0.9, g % 5 <> 0, '{"A":2,"B":0,"tie":0,"invalid":0}'::jsonb,
             '{"prompt_tokens":400,"completion_tokens":60,"llm_requests":2}'::jsonb, 300 + g % 500,
             now() - (g * (30 * 86400.0 / ${N}::float8)) * interval '1 second'
        from generate_series(1, ${N}::int) g`);
    await db.execute(sql`
      insert into judge_daily_stats (evaluator_id, day, requests, cache_hits, judgments, failed, prompt_tokens, completion_tokens, llm_requests, votes, invalid_votes, latency_ms_sum)
      select evaluator_id, (created_at at time zone 'UTC')::date, count(*) + count(*) / 10, count(*) / 10, count(*), count(*) filter (where status = 'failed'),
             count(*) * 400, count(*) * 60, count(*) * 2, count(*) * 2, 0, sum(latency_ms)
        from judgments group by 1, 2`);
    await db.execute(sql`
      insert into heldout_items (evaluator_id, instruction, response_a, response_b, label, source, category, content_hash)
      select ${evaluator.id}::uuid, 'held-out question ' || g, 'a' || g, 'b' || g, (array['A','B','tie'])[1 + g % 3],
             (array['human','import','synthetic'])[1 + g % 3], (array['coding','math','writing','advice'])[1 + g % 4], md5('h' || g)
        from generate_series(1, 5000) g`);
    await db.execute(sql`
      insert into evaluations (evaluator_id, candidate_version_id, baseline_version_id, status, progress_done, progress_total, created_at)
      select ${evaluator.id}::uuid, (select id from versions where evaluator_id = ${evaluator.id} and number = 1 + g), (select id from versions where evaluator_id = ${evaluator.id} and number = 1),
             'completed', 800, 800, now() - g * interval '1 hour'
        from generate_series(1, 49) g`);
    await db.execute(sql`
      insert into training_runs (evaluator_id, params, status, iteration, created_at)
      select ${evaluator.id}::uuid, '{"iterations":1,"backend":"few-shot","sample_size":500,"samples_per_pair":8,"seed":1}'::jsonb, 'completed', 1, now() - g * interval '1 day'
        from generate_series(1, 30) g`);
    await db.execute(sql`analyze`);
    const seedSeconds = (performance.now() - t0) / 1000;

    const judgeStats = createJudgeStatsRecorder({ write: (rows) => addJudgeStats(database.db, rows), logger: silentLogger });
    const deps: AppDeps = { config, database, llm: undefined as never, clock: systemClock, logger: silentLogger, judgeStats, uiAssets: nodeUiAssets() };
    const app = createApp(deps);
    const [judgment] = await rawRows<{ id: string }>(db, sql`select id from judgments order by created_at desc limit 1`);
    const [evaluation] = await rawRows<{ id: string }>(db, sql`select id from evaluations order by created_at desc limit 1`);
    const [run] = await rawRows<{ id: string }>(db, sql`select id from training_runs order by created_at desc limit 1`);

    const pages: Array<{ page: string; path: string; data: () => Promise<unknown> }> = [
      { page: "Overview", path: "/", data: () => overviewView(deps) },
      { page: "Versions (50)", path: "/ui/evaluators/default", data: () => versionsView(deps, { evaluator: "default" }) },
      { page: "Evaluations", path: "/ui/evaluations", data: () => listEvaluations(deps, { page: { limit: 50 } }) },
      { page: "Evaluation", path: `/ui/evaluations/${evaluation!.id}`, data: () => getEvaluation(deps, evaluation!.id) },
      { page: "Training runs", path: "/ui/training", data: () => listTrainingRuns(deps, { page: { limit: 25 } }) },
      { page: "Training run", path: `/ui/training/${run!.id}`, data: () => getTrainingRun(deps, run!.id) },
      { page: "Judgments", path: "/ui/judgments", data: () => judgmentsView(deps, { limit: 50 }) },
      { page: "Judgments, verdict B + ok", path: "/ui/judgments?verdict=B&status=ok", data: () => judgmentsView(deps, { limit: 50, verdict: "B", status: "ok" }) },
      { page: "Judgments, last 24 h", path: `/ui/judgments?from=${new Date(Date.now() - 86_400_000).toISOString().slice(0, 16)}`, data: () => judgmentsView(deps, { limit: 50, from: new Date(Date.now() - 86_400_000) }) },
      { page: "Judgments, search common word", path: "/ui/judgments?q=python", data: () => judgmentsView(deps, { limit: 50, text: "python" }) },
      { page: "Judgments, search rare word", path: "/ui/judgments?q=zyzzyva", data: () => judgmentsView(deps, { limit: 50, text: "zyzzyva" }) },
      { page: "Judgment", path: `/ui/judgments/${judgment!.id}`, data: () => judgmentView(deps, judgment!.id) },
      { page: "Held-out (5,000)", path: "/ui/heldout", data: () => heldoutView(deps, {}) },
      { page: "Keys", path: "/ui/keys", data: () => listKeys(deps) },
    ];
    const counter = countQueries(database);
    const rows: string[] = [];
    for (const p of pages) {
      counter.reset();
      const res = await app.request(p.path);
      if (res.status !== 200) throw new Error(`${p.path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.text();
      const queries = counter.count;
      const server = await time(async () => (await app.request(p.path)).text());
      const data = await time(p.data);
      rows.push(`| ${p.page} | ${data.p50.toFixed(1)} | ${data.p95.toFixed(1)} | ${server.p50.toFixed(1)} | ${server.p95.toFixed(1)} | ${queries} |`);
    }
    counter.restore();

    const plan = async (label: string, where: ReturnType<typeof sql>) => {
      const lines = await rawRows<{ "QUERY PLAN": string }>(
        db,
        sql`explain (analyze, costs off) select j.id from judgments j join versions v on v.id = j.version_id
             where j.evaluator_id = ${evaluator.id} and ${where} order by j.created_at desc, j.id desc limit 51`,
      );
      const text = lines.map((l) => l["QUERY PLAN"]);
      const nodes = text.filter((l) => /Scan|Sort/.test(l)).map((l) => l.trim().replace(/^->\s*/, "").replace(/\s+\(actual.*$/, ""));
      const total = text.find((l) => l.startsWith("Execution Time"))!;
      return `| ${label} | ${nodes.join("; ")} | ${total.replace("Execution Time: ", "")} |`;
    };
    const plans = [
      await plan("newest 50", sql`true`),
      await plan("search common word (python)", sql`to_tsvector('simple', j.instruction) @@ plainto_tsquery('simple', 'python')`),
      await plan("search rare word (zyzzyva)", sql`to_tsvector('simple', j.instruction) @@ plainto_tsquery('simple', 'zyzzyva')`),
      await plan("verdict B, status ok", sql`j.verdict = 'B' and j.status = 'ok'`),
    ];

    const sizes: string[] = [];
    let total = 0;
    for (const path of ["/", "/ui/assets/ui.css", "/ui/assets/ui.js", "/ui/assets/chart.umd.min.js"]) {
      const res = await app.request(path, { headers: { "accept-encoding": "gzip" } });
      const bytes = (await res.arrayBuffer()).byteLength;
      total += bytes;
      sizes.push(`| ${path} | ${res.headers.get("content-encoding") ?? "identity"} | ${(bytes / 1024).toFixed(1)} KB |`);
    }

    console.log(`## Console pages (${N.toLocaleString("en-US")} judgments, 50 versions, PostgreSQL)\n`);
    console.log(`Seeded in ${seedSeconds.toFixed(1)} s. ${ROUNDS} sequential requests per row after 3 warm-ups, one user, in process (app.request, no network).\n`);
    console.log("| page | data p50 ms | data p95 ms | page p50 ms | page p95 ms | queries |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const r of rows) console.log(r);
    console.log("\n| judgments query (one evaluator, 50 a page) | plan | execution |");
    console.log("|---|---|---:|");
    for (const p of plans) console.log(p);
    console.log("\n| first page download | encoding | size |");
    console.log("|---|---|---:|");
    for (const s of sizes) console.log(s);
    console.log(`| total | | ${(total / 1024).toFixed(1)} KB |`);
  } finally {
    await database.close();
    await scratch.drop();
  }
}

await main();
