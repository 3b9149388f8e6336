import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRows } from "../../src/db/client";
import { acquireEvaluationLease, releaseEvaluationLease, renewEvaluationLease } from "../../src/db/queries/evaluation-leases";
import { acquireLease, renewLease } from "../../src/db/queries/training";
import { leasedEvaluations } from "../../src/evaluation/worker";
import { sweep, takeOverLapsed } from "../../src/jobs/lease-watch";
import type { JobQueue } from "../../src/jobs/queue";
import { silentLogger } from "../../src/lib/logger";
import { cancelTrainingRun } from "../../src/training/runs";
import { leasedRuns } from "../../src/training/worker";
import { createTestApp, type TestApp } from "../helpers/test-app";

/** A queue that records what the watch and the sweeper ask of it, with stately's "one waiting job per key". */
function recordingQueue() {
  const waiting = new Set<string>();
  const sent: string[] = [];
  const failed: string[] = [];
  const jobs: JobQueue = {
    ensureQueue: async () => {},
    async send(name, _data, opts = {}) {
      const key = `${name}:${opts.singletonKey}`;
      if (waiting.has(key)) return null;
      waiting.add(key);
      sent.push(opts.singletonKey!);
      return "job";
    },
    work: async () => {},
    schedule: async () => {},
    stop: async () => {},
    async failActive(_name, key) {
      failed.push(key);
      return 1;
    },
  };
  return { jobs, sent, failed, waiting };
}

describe("lease watch and sweeper (database side)", () => {
  let t: TestApp;
  let evaluatorId: string;
  let versionId: string;
  const q = <T,>(s: ReturnType<typeof sql>) => rawRows<T>(t.database.db, s);

  async function run(status: string, lease: "none" | "lapsed" | "live"): Promise<string> {
    const until = lease === "none" ? sql`null` : lease === "lapsed" ? sql`now() - interval '1 second'` : sql`now() + interval '1 minute'`;
    const owner = lease === "none" ? null : "worker-dead";
    const [row] = await q<{ id: string }>(
      sql`insert into training_runs (evaluator_id, params, status, lease_owner, lease_until) values (${evaluatorId}, ${"{}"}::jsonb, ${status}, ${owner}, ${until}) returning id`,
    );
    return row!.id;
  }

  async function evaluation(status: string, lease: "none" | "lapsed" | "live", trainingRunId: string | null = null): Promise<string> {
    const until = lease === "none" ? sql`null` : lease === "lapsed" ? sql`now() - interval '1 second'` : sql`now() + interval '1 minute'`;
    const owner = lease === "none" ? null : "worker-dead";
    const [row] = await q<{ id: string }>(
      sql`insert into evaluations (evaluator_id, candidate_version_id, baseline_version_id, status, lease_owner, lease_until, training_run_id)
          values (${evaluatorId}, ${versionId}, ${versionId}, ${status}, ${owner}, ${until}, ${trainingRunId}) returning id`,
    );
    return row!.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    const [v] = await q<{ evaluator_id: string; id: string }>(sql`select evaluator_id, id from versions limit 1`);
    evaluatorId = v!.evaluator_id;
    versionId = v!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("training: a lapsed lease of a queued/running run is taken over once, its dead job failed, the run sent again", async () => {
    const lapsed = await run("running", "lapsed");
    const lapsedQueued = await run("queued", "lapsed");
    const live = await run("running", "live");
    const ended = await run("completed", "lapsed");
    const q1 = recordingQueue();
    const q2 = recordingQueue();
    // Two instances looking at the same moment: each lapsed lease goes to exactly one of them.
    const [a, b] = await Promise.all([
      takeOverLapsed(q1.jobs, leasedRuns(t.database.db, q1.jobs), silentLogger),
      takeOverLapsed(q2.jobs, leasedRuns(t.database.db, q2.jobs), silentLogger),
    ]);
    expect([...a, ...b].sort()).toEqual([lapsed, lapsedQueued].sort());
    expect([...q1.failed, ...q2.failed].sort()).toEqual([lapsed, lapsedQueued].sort());
    expect([...q1.sent, ...q2.sent].sort()).toEqual([lapsed, lapsedQueued].sort());
    expect(q1.sent).not.toContain(live);
    expect(q1.sent).not.toContain(ended);
    // Claimed means cleared: the next instance to get the job acquires it at once...
    expect(await acquireLease(t.database.db, lapsed, "worker-new", 6)).toBeDefined();
    // ...and the dead holder, should it come back, can no longer renew (it stops working).
    expect(await renewLease(t.database.db, lapsed, "worker-dead", 6)).toBeUndefined();
    // A live lease stays with its holder.
    expect(await acquireLease(t.database.db, live, "worker-new", 6)).toBeUndefined();
    await q(sql`update training_runs set status = 'completed' where id in (${lapsed}, ${lapsedQueued}, ${live})`);
  });

  it("training: the sweeper re-sends queued/running runs nobody holds, and only one job waits per run", async () => {
    const orphan = await run("running", "none");
    const queued = await run("queued", "none");
    const lapsed = await run("running", "lapsed");
    const live = await run("running", "live");
    const waitingOne = await run("queued", "none");
    const queue = recordingQueue();
    queue.waiting.add(`training.run:${waitingOne}`);
    const result = await sweep(queue.jobs, leasedRuns(t.database.db, queue.jobs), silentLogger);
    expect(result.tookOver).toBe(1);
    expect(queue.failed).toEqual([lapsed]);
    expect(queue.sent.sort()).toEqual([orphan, queued, lapsed].sort());
    expect(queue.sent).not.toContain(live);
    // A second pass finds jobs waiting for all of them: nothing piles up.
    const again = await sweep(queue.jobs, leasedRuns(t.database.db, queue.jobs), silentLogger);
    expect(again.tookOver).toBe(0);
    expect(queue.sent).toHaveLength(3);
    await q(sql`update training_runs set status = 'completed' where id in (${orphan}, ${queued}, ${lapsed}, ${live}, ${waitingOne})`);
  });

  it("training: cancel on an orphaned running run hands it a job at once, so any free runner ends it", async () => {
    const orphan = await run("running", "none");
    const queue = recordingQueue();
    const view = await cancelTrainingRun({ ...t.deps, jobs: queue.jobs }, orphan);
    expect(view.run).toMatchObject({ id: orphan, cancelRequested: true });
    expect(queue.sent).toEqual([orphan]);
    // A run whose holder is alive gets only the flag (its heartbeat sees it within a second).
    const live = await run("running", "live");
    await cancelTrainingRun({ ...t.deps, jobs: queue.jobs }, live);
    expect(queue.sent).toEqual([orphan]);
    await q(sql`update training_runs set status = 'canceled' where id in (${orphan}, ${live})`);
  });

  it("evaluations: one holder at a time, takeover after a lapse, training runs' evaluations left to their run", async () => {
    const db = t.database.db;
    const id = await evaluation("queued", "none");
    expect(await acquireEvaluationLease(db, id, "w1", 6000)).toBe(true);
    expect(await acquireEvaluationLease(db, id, "w2", 6000)).toBe(false);
    expect(await renewEvaluationLease(db, id, "w1", 6000)).toBe(true);
    expect(await renewEvaluationLease(db, id, "w2", 6000)).toBe(false);
    // w1 dies: its lease lapses and the watch hands the evaluation on.
    await q(sql`update evaluations set lease_until = now() - interval '1 second' where id = ${id}`);
    const ofRun = await evaluation("running", "lapsed", (await q<{ id: string }>(sql`select gen_random_uuid() as id`))[0]!.id);
    const queue = recordingQueue();
    const took = await takeOverLapsed(queue.jobs, leasedEvaluations(db, queue.jobs), silentLogger);
    expect(took).toEqual([id]);
    expect(queue.sent).toEqual([id]);
    expect(queue.sent).not.toContain(ofRun);
    expect(await acquireEvaluationLease(db, id, "w2", 6000)).toBe(true);
    expect(await renewEvaluationLease(db, id, "w1", 6000)).toBe(false);
    // A graceful hand-back releases the lease: the next holder need not wait for it to lapse.
    await releaseEvaluationLease(db, id, "w2");
    expect(await acquireEvaluationLease(db, id, "w3", 6000)).toBe(true);
    // The sweeper: open, standalone, unheld.
    const orphan = await evaluation("running", "none");
    const done = await evaluation("completed", "none");
    const sweepQueue = recordingQueue();
    await sweep(sweepQueue.jobs, leasedEvaluations(db, sweepQueue.jobs), silentLogger);
    expect(sweepQueue.sent).toContain(orphan);
    expect(sweepQueue.sent).not.toContain(id);
    expect(sweepQueue.sent).not.toContain(done);
    expect(sweepQueue.sent).not.toContain(ofRun);
  });
});
