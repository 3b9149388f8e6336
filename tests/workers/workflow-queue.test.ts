import { describe, expect, it } from "vitest";
import { createWorkflowQueue, type WorkflowBinding } from "../../src/workflows/queue";

// The job seam on Workers over a stand-in for the Workflows binding (the real one is exercised
// under `wrangler dev` in wrangler-dev.test.ts): "continue X" means "make sure instance X is alive".

function fakeBinding() {
  const instances = new Map<string, { status: string; params: unknown; restarts: number; terminated: number }>();
  const binding: WorkflowBinding = {
    async create({ id, params }) {
      if (!id) throw new Error("test sends an id");
      if (instances.has(id)) throw new Error(`instance ${id} already exists`);
      instances.set(id, { status: "queued", params, restarts: 0, terminated: 0 });
      return { id };
    },
    async get(id) {
      const inst = instances.get(id);
      if (!inst) throw new Error("instance.not_found");
      return {
        id,
        status: async () => ({ status: inst.status }),
        terminate: async () => {
          inst.terminated += 1;
          inst.status = "terminated";
        },
        restart: async () => {
          inst.restarts += 1;
          inst.status = "queued";
        },
      };
    },
  };
  return { binding, instances };
}

describe("Workflow job queue", () => {
  it("creates the instance named by the key, once; a live one is left alone, an ended one restarted", async () => {
    const { binding, instances } = fakeBinding();
    const jobs = createWorkflowQueue({ "training.run": binding });
    expect(await jobs.send("training.run", { runId: "r1" }, { singletonKey: "r1", startAfterSeconds: 4 })).toBe("r1");
    expect(instances.get("r1")).toMatchObject({ status: "queued", params: { runId: "r1", startAfterSeconds: 4 } });
    instances.get("r1")!.status = "running";
    await jobs.send("training.run", { runId: "r1" }, { singletonKey: "r1" });
    expect(instances.get("r1")).toMatchObject({ status: "running", restarts: 0 });
    for (const ended of ["complete", "errored", "terminated"]) {
      instances.get("r1")!.status = ended;
      await jobs.send("training.run", { runId: "r1" }, { singletonKey: "r1" });
      expect(instances.get("r1")!.status).toBe("queued");
    }
    expect(instances.get("r1")!.restarts).toBe(3);
    expect(instances.size).toBe(1);
  });

  it("cancel terminates a live instance and leaves an ended or missing one alone", async () => {
    const { binding, instances } = fakeBinding();
    const jobs = createWorkflowQueue({ "evaluation-run": binding });
    await jobs.send("evaluation-run", { evaluation_id: "e1" }, { singletonKey: "e1" });
    await jobs.cancel!("evaluation-run", "e1");
    expect(instances.get("e1")).toMatchObject({ status: "terminated", terminated: 1 });
    await jobs.cancel!("evaluation-run", "e1");
    await jobs.cancel!("evaluation-run", "nope");
    expect(instances.get("e1")!.terminated).toBe(1);
  });

  it("names the missing binding, and refuses in-process handlers and pg-boss schedules", async () => {
    const jobs = createWorkflowQueue({});
    await expect(jobs.send("training.run", {}, { singletonKey: "x" })).rejects.toThrow(/no Workflow binding serves the queue 'training.run'/);
    await expect(jobs.work("training.run", async () => {})).rejects.toThrow(/Workflows/);
    await expect(jobs.schedule("training.schedule", "* * * * *")).rejects.toThrow(/Cron Trigger/);
  });
});
