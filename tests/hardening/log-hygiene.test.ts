// Issue 9 item 7: "Logs never contain query parameters of failed SQL, keys, or user text at info."
// The app logs through the same pino logger as `npm start` (level info), into memory; every line
// must stay free of key secrets, of what users sent (instructions, responses) and of the
// parameters of a failed SQL statement, even when the request fails inside the database.
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, errorReply, type FakeLlm } from "../fake-llm/server";
import { oracleJudge } from "../fake-llm/judges";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorForLog } from "../../src/db/errors";

const ADMIN = "admin-secret-for-log-tests-0123456789";
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
const lines: string[] = [];
let fake: FakeLlm;
let t: TestApp;

// Text a user sent: each marker must never reach a log line.
const userText = (marker: string, extra = "") => ({
  instruction: `${extra}Which answer is right? my password is ${marker}-INSTRUCTION`,
  response_a: `GOOD: Paris. ${marker}-RESPONSE-A`,
  response_b: `Lyon. ${marker}-RESPONSE-B`,
});

// A value the database refuses only for marked rows: casting the text to int raises SQLSTATE
// 22P02 (a data exception, answered 422) inside the INSERT, with the user's text among its parameters.
const refuseMarked = (table: string, marker: string) =>
  sql.raw(
    `ALTER TABLE ${table} ADD CONSTRAINT log_hygiene_${marker.toLowerCase()} ` +
      `CHECK ((CASE WHEN instruction LIKE '%${marker}%' THEN instruction::int ELSE 0 END) >= 0) NOT VALID`,
  );

beforeAll(async () => {
  fake = await startFakeLlm({
    // The provider fails for marked instructions; its error body carries no user text.
    behavior: (req, ctx) =>
      req.messages.some((m) => m.content.includes("PROVIDERFAIL")) ? errorReply(500, "upstream broke") : oracleJudge(req, ctx),
  });
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  t = await createTestApp({
    llmUrl: fake.url,
    env: { SELFJUDGE_ADMIN_KEY: ADMIN, LLM_MAX_RETRIES: "0", LOG_LEVEL: "info" },
    logger: pino({ level: "info", base: { service: "selfjudge" } }, sink),
  });
  await t.database.db.execute(refuseMarked("judgments", "BADCAST"));
  await t.database.db.execute(refuseMarked("traffic", "POOLFAIL"));
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

function expectNotLogged(...secrets: string[]) {
  const text = lines.join("\n");
  for (const s of secrets) expect(text, `"${s}" was logged`).not.toContain(s);
}

describe("log hygiene at info", () => {
  it("a created key's secret is not logged, neither when created nor when used or mistyped", async () => {
    const created = await t.call("POST", "/v1/keys", { name: "log test", scope: "judge" }, bearer(ADMIN));
    expect(created.status).toBe(201);
    const secret: string = created.json.secret;
    expect(secret.length).toBeGreaterThan(16);
    const judged = await t.call("POST", "/v1/judge", userText("KEYUSE"), bearer(secret));
    expect(judged.status).toBe(200);
    const wrong = await t.call("POST", "/v1/judge", userText("KEYWRONG"), bearer(`${secret}x`));
    expect(wrong.status).toBe(401);
    expect(lines.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expectNotLogged(secret, ADMIN, "KEYUSE", "KEYWRONG");
  });

  it("a judge of secret-looking text logs the request (path, status) but none of the text", async () => {
    const before = lines.length;
    const res = await t.call("POST", "/v1/judge?note=QUERYTEXT-SECRET", userText("JUDGETEXT"), bearer(ADMIN));
    expect(res.status).toBe(200);
    const logged = lines.slice(before).map((l) => JSON.parse(l));
    expect(logged).toContainEqual(expect.objectContaining({ level: 30, path: "/v1/judge", status: 200, msg: "request" }));
    expectNotLogged("JUDGETEXT", "QUERYTEXT-SECRET", "password is");
  });

  it("a SQL statement the database refuses is logged by its code, without its parameters", async () => {
    const before = lines.length;
    const res = await t.call("POST", "/v1/judge", userText("BADCAST"), bearer(ADMIN));
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const failure = lines.slice(before).map((l) => JSON.parse(l)).find((l) => l.msg === "request failed");
    expect(failure?.err?.code).toBe("22P02");
    // Enough for on-call: the code, the message without the value, where it was thrown.
    expect(failure?.err?.message).toContain("invalid input syntax for type integer");
    expect(failure?.err?.stack).toMatch(/^\s+at /);
    expectNotLogged("BADCAST", "Failed query", "params:");
  });

  it("a failed judgment whose pool entry cannot be stored logs neither the SQL parameters nor the text", async () => {
    const before = lines.length;
    const res = await t.call("POST", "/v1/judge", userText("POOLFAIL", "PROVIDERFAIL "), bearer(ADMIN));
    expect(res.status).toBe(502);
    const logged = lines.slice(before).map((l) => JSON.parse(l));
    // Both failures are on record (the provider's, the pool's), each without the user's text.
    expect(logged.map((l) => l.msg)).toEqual(expect.arrayContaining(["judge call failed", "could not add the instruction to the traffic pool"]));
    expect(logged.find((l) => l.msg === "could not add the instruction to the traffic pool")?.err?.code).toBe("22P02");
    expectNotLogged("POOLFAIL", "PROVIDERFAIL", "Failed query", "params:");
  });
});

describe("errorForLog", () => {
  it("keeps names PostgreSQL quotes and drops the values it quotes", () => {
    const pgError = (message: string, code: string) => Object.assign(new Error(message), { code });
    const wrapped = new Error('Failed query: insert into "t" values ($1)\nparams: my-secret', {
      cause: pgError('new row for relation "judgments" violates check constraint "c1"', "23514"),
    });
    const logged = errorForLog(wrapped);
    expect(logged).toMatchObject({ code: "23514", message: 'new row for relation "judgments" violates check constraint "c1"' });
    expect(JSON.stringify(logged)).not.toContain("my-secret");
    const value = errorForLog(pgError('invalid input syntax for type uuid: "my "quoted" secret"', "22P02"));
    expect(value.message).toBe('invalid input syntax for type uuid: "…"');
    expect(errorForLog("plain text failure")).toEqual({ message: "plain text failure" });
  });
});
