import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, isLoopbackHost, parseConfig } from "../../src/config";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe("parseConfig", () => {
  it("runs with no environment at all: loopback, embedded PGlite, OpenAI, auth off", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      port: 8787,
      host: "127.0.0.1",
      databaseUrl: undefined,
      dataDir: "./.data/pglite",
      judgeModel: "gpt-4o-mini",
      generatorModel: "gpt-4o-mini",
      adminKey: undefined,
      logLevel: "info",
      bodyLimitBytes: 1024 * 1024,
      batchConcurrency: 8,
      jobsEnabled: true,
      llm: { baseURL: "https://api.openai.com/v1", timeoutMs: 60_000, maxRetries: 3, concurrency: 32 },
      gate: { minDelta: 0.01, alpha: 0.05, consistencyTolerance: 0.02 },
      training: { maxConcurrentRuns: 1, scheduleMinNew: 0, scheduleCron: "*/15 * * * *" },
      leases: { ms: 6000, renewMs: 1000, watchMs: 1000, sweepCron: "* * * * *" },
      statsFlushMs: 1000,
    });
    // The SDK refuses an empty key; local providers accept any placeholder.
    expect(c.llm.apiKey).not.toBe("");
  });

  it("reads every documented variable", () => {
    const c = parseConfig({
      PORT: "9000",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgresql://u:p@db.example:5432/selfjudge",
      DATA_DIR: "/var/lib/selfjudge",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      OPENAI_API_KEY: "sk-test",
      JUDGE_MODEL: "llama3.1:70b",
      GENERATOR_MODEL: "llama3.1:8b",
      SELFJUDGE_ADMIN_KEY: "0123456789abcdef",
      LOG_LEVEL: "debug",
      LLM_TIMEOUT_MS: "5000",
      LLM_MAX_RETRIES: "0",
      LLM_CONCURRENCY: "4",
      BODY_LIMIT_BYTES: "2048",
      JUDGE_BATCH_CONCURRENCY: "3",
      GATE_MIN_DELTA: "0.05",
      GATE_ALPHA: "0.1",
      GATE_CONSISTENCY_TOLERANCE: "0",
      TRAINING_MAX_CONCURRENT_RUNS: "2",
      TRAINING_SCHEDULE_MIN_NEW: "500",
      TRAINING_SCHEDULE_CRON: "0 3 * * *",
      JOBS_ENABLED: "false",
      WORKFLOW_STEP_LLM_CALLS: "50",
      DATASET_BODY_LIMIT_BYTES: "4096",
      LEASE_MS: "10000",
      LEASE_RENEW_MS: "2000",
      LEASE_WATCH_MS: "500",
      SWEEP_CRON: "*/2 * * * *",
      STATS_FLUSH_MS: "250",
    });
    expect(c).toEqual({
      port: 9000,
      host: "0.0.0.0",
      databaseUrl: "postgresql://u:p@db.example:5432/selfjudge",
      dataDir: "/var/lib/selfjudge",
      llm: { baseURL: "http://127.0.0.1:11434/v1", apiKey: "sk-test", timeoutMs: 5000, maxRetries: 0, concurrency: 4, rateLimitRetries: 8, providers: { allowlist: [], keys: {} } },
      judgeModel: "llama3.1:70b",
      generatorModel: "llama3.1:8b",
      adminKey: "0123456789abcdef",
      logLevel: "debug",
      bodyLimitBytes: 2048,
      batchConcurrency: 3,
      gate: { minDelta: 0.05, alpha: 0.1, consistencyTolerance: 0 },
      training: { maxConcurrentRuns: 2, scheduleMinNew: 500, scheduleCron: "0 3 * * *" },
      jobsEnabled: false,
      leases: { ms: 10_000, renewMs: 2000, watchMs: 500, sweepCron: "*/2 * * * *" },
      workflows: { stepLlmCalls: 50 },
      datasets: { bodyLimitBytes: 4096 },
      limits: { rpm: 0, tokensPerDay: 0, batchMaxSamples: 1000 },
      judgeDeadlineMs: 120_000,
      statsFlushMs: 250,
    });
  });

  it("refuses a lease renewed less often than twice per lease (one late renewal would lose it)", () => {
    expect(configError({ LEASE_MS: "3000", LEASE_RENEW_MS: "2000" }).message).toMatch(/LEASE_RENEW_MS/);
  });

  it("treats an empty variable as unset, as shells and .env files write it", () => {
    const c = parseConfig({ PORT: "", DATABASE_URL: "", SELFJUDGE_ADMIN_KEY: "", OPENAI_API_KEY: "" });
    expect(c.port).toBe(8787);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.adminKey).toBeUndefined();
  });

  it.each([
    ["yes", true],
    ["1", true],
    ["no", false],
    ["0", false],
  ])("reads JOBS_ENABLED=%s as %s", (value, expected) => {
    expect(parseConfig({ JOBS_ENABLED: value }).jobsEnabled).toBe(expected);
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "80.5"],
    ["DATABASE_URL", "mysql://localhost/db"],
    ["OPENAI_BASE_URL", "not-a-url"],
    ["SELFJUDGE_ADMIN_KEY", "short"],
    ["LOG_LEVEL", "verbose"],
    ["LLM_TIMEOUT_MS", "10"],
    ["LLM_MAX_RETRIES", "-1"],
    ["LLM_CONCURRENCY", "0"],
    ["BODY_LIMIT_BYTES", "lots"],
    ["JUDGE_BATCH_CONCURRENCY", "101"],
    ["GATE_MIN_DELTA", "2"],
    ["GATE_ALPHA", "-0.1"],
    ["TRAINING_MAX_CONCURRENT_RUNS", "0"],
    ["JOBS_ENABLED", "maybe"],
    ["WORKFLOW_STEP_LLM_CALLS", "0"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    const err = configError({ [name]: value });
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatch(new RegExp(`^${name}: `));
    expect(err.message).toContain(`${name}: `);
  });

  it("reports every bad variable at once, so one restart fixes them all", () => {
    const err = configError({ PORT: "abc", OPENAI_BASE_URL: "nope", SELFJUDGE_ADMIN_KEY: "short" });
    expect(err.issues.map((i) => i.split(":")[0]).sort()).toEqual(["OPENAI_BASE_URL", "PORT", "SELFJUDGE_ADMIN_KEY"]);
  });

  it("says why a short admin key is refused", () => {
    expect(configError({ SELFJUDGE_ADMIN_KEY: "short" }).issues[0]).toContain("at least 16 characters");
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.10", false],
    ["example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe("README configuration table", () => {
  it("lists exactly the variables src/config.ts reads", () => {
    const source = read("src/config.ts");
    const schema = source.slice(source.indexOf("const envSchema = z.object({"), source.indexOf("});", source.indexOf("const envSchema")));
    const inConfig = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]).sort();
    const documented = [...read("README.md").matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(inConfig.length).toBeGreaterThan(10);
    expect(documented).toEqual(inConfig);
  });
});
