import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oracleJudge } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { runCli, serveTestApp } from "./helpers";

const ADMIN_KEY = "cli-admin-key-0123456789";
let fake: FakeLlm;
let server: Awaited<ReturnType<typeof serveTestApp>>;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  server = await serveTestApp({ llmUrl: fake.url, env: { SELFJUDGE_ADMIN_KEY: ADMIN_KEY } });
  env = { SELFJUDGE_URL: server.url, SELFJUDGE_API_KEY: ADMIN_KEY };
  const reg = await server.t.call("POST", "/v1/versions", { model: "fake-judge-2", notes: "candidate" }, { authorization: `Bearer ${ADMIN_KEY}` });
  expect(reg.status).toBe(201);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe("selfjudge versions", () => {
  it("lists versions as a table and as valid JSON", async () => {
    const human = await runCli(["versions", "list"], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^NAME\s+STATUS\s+MODEL/m);
    expect(human.stdout).toMatch(/^v2\s+candidate\s+fake-judge-2/m);
    expect(human.stdout).toMatch(/^v1\s+active/m);
    const json = await runCli(["--json", "versions", "list", "--status", "candidate"], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).data.map((v: { name: string }) => v.name)).toEqual(["v2"]);
  });

  it("activates, shows and rolls back, each change in the audit trail", async () => {
    const act = await runCli(["versions", "activate", "v2", "--reason", "cli test"], env);
    expect(act.code).toBe(0);
    expect(act.stdout).toBe("activated v1 → v2\n");
    const show = await runCli(["--json", "versions", "show", "active"], env);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: "v2", status: "active" });
    const again = await runCli(["versions", "activate", "v2", "--reason", "twice"], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: 409 Conflict: /m);
    const back = await runCli(["versions", "rollback", "--reason", "regressed"], env);
    expect(back.code).toBe(0);
    expect(back.stdout).toBe("rolled back: v2 → v1\n");
    const audit = await server.t.call("GET", "/v1/audit", undefined, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(audit.json.data.map((e: { reason: string | null }) => e.reason)).toEqual(expect.arrayContaining(["cli test", "regressed"]));
  });

  it("exits 2 with the server's problem when the key is rejected or a flag is missing", async () => {
    const denied = await runCli(["versions", "list"], { ...env, SELFJUDGE_API_KEY: "wrong-key-0000000000" });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/^error: 401 Unauthorized: /m);
    const missing = await runCli(["versions", "activate", "v2"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--reason");
  });
});
