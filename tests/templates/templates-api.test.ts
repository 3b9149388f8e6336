import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAN_EXECUTE_PROMPT, STANDARD_PROMPT } from "../../src/judging";
import { oracleJudge, planJudgment } from "../fake-llm/judges";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { pair } from "../judge-api/fixtures";

let fake: FakeLlm;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeLlm({ behavior: oracleJudge });
  t = await createTestApp({ llmUrl: fake.url });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe("versions with a template", () => {
  it("a plan-execute version gets its built-in prompt, judges through its blocks, and keeps the plan in the reasoning", async () => {
    const reg = await t.call("POST", "/v1/versions", { model: "fake-judge", template: "plan-execute" });
    expect(reg.status, reg.text).toBe(201);
    expect(reg.json.template).toBe("plan-execute");
    expect(reg.json.prompt_template).toBe(PLAN_EXECUTE_PROMPT);

    const res = await t.call("POST", "/v1/judge", { ...pair("b"), version: reg.json.name });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ verdict: "B", position_consistent: true, votes: { B: 2, invalid: 0 } });
    expect(res.json.reasoning).toContain("[The Start of Evaluation Plan]");
    expect(res.json.reasoning).toContain("[The Start of Plan Execution]");
    const sent = fake.chatRequests().at(-1)!;
    expect(sent.messages[0]!.content).toContain("[The Start of Evaluation Plan]");
  });

  it("existing and default versions are standard", async () => {
    const active = await t.call("GET", "/v1/versions/active");
    expect(active.json).toMatchObject({ template: "standard", prompt_template: STANDARD_PROMPT });
    const reg = await t.call("POST", "/v1/versions", { model: "fake-judge" });
    expect(reg.json.template).toBe("standard");
  });

  it("a plan-execute judge whose outputs lack a block gets no verdict: 502 judge_output_invalid, reasons stored", async () => {
    const reg = await t.call("POST", "/v1/versions", { model: "fake-judge", template: "plan-execute" });
    fake.setBehavior(() => "Assistant B is better.\n\nFinal verdict: [[B]]");
    try {
      const res = await t.call("POST", "/v1/judge", { ...pair("b"), version: reg.json.name });
      expect(res.status).toBe(502);
      expect(res.json.code ?? res.json.type).toMatch(/judge_output_invalid/);
      const stored = await t.call("GET", `/v1/judgments/${res.json.judgment_id}`);
      expect(stored.status).toBe(200);
      expect(JSON.stringify(stored.json)).toContain("missing [The Start of Evaluation Plan]");
    } finally {
      fake.setBehavior(oracleJudge);
    }
  });

  it("422 before any LLM call: unknown template, a plan-execute prompt without its blocks, few-shot judgments in the wrong format", async () => {
    const calls = fake.chatRequests().length;
    const unknown = await t.call("POST", "/v1/versions", { model: "m", template: "tree-of-thought" });
    expect(unknown.status).toBe(422);
    const noBlocks = await t.call("POST", "/v1/versions", { model: "m", template: "plan-execute", prompt_template: STANDARD_PROMPT });
    expect(noBlocks.status).toBe(422);
    expect(noBlocks.text).toContain("[The Start of Evaluation Plan]");
    const demo = { instruction: "Say hi", response_a: "hi", response_b: "bye" };
    const wrongFormat = await t.call("POST", "/v1/versions", {
      model: "m",
      template: "plan-execute",
      few_shot: [{ ...demo, judgment: "A greets.\n\nFinal verdict: [[A]]" }],
    });
    expect(wrongFormat.status).toBe(422);
    expect(wrongFormat.text).toContain("not a valid plan-execute judgment");
    const standardWithPlan = await t.call("POST", "/v1/versions", { model: "m", few_shot: [{ ...demo, judgment: "no marker" }] });
    expect(standardWithPlan.status).toBe(422);
    const ok = await t.call("POST", "/v1/versions", { model: "m", template: "plan-execute", few_shot: [{ ...demo, judgment: planJudgment("A") }] });
    expect(ok.status, ok.text).toBe(201);
    expect(fake.chatRequests().length).toBe(calls);
  });
});
