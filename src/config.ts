import { z } from "zod";

// The one place that reads environment variables. Everything else receives a Config.
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);

const envSchema = z.object({
  PORT: int(0, 65535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default("./.data/pglite"),
  OPENAI_BASE_URL: z.url().default("https://api.openai.com/v1"),
  OPENAI_API_KEY: z.string().default(""),
  JUDGE_MODEL: z.string().min(1).default("gpt-4o-mini"),
  GENERATOR_MODEL: z.string().min(1).optional(),
  SELFJUDGE_ADMIN_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LLM_TIMEOUT_MS: int(100, 600_000).default(60_000),
  LLM_MAX_RETRIES: int(0, 10).default(3),
  LLM_CONCURRENCY: int(1, 1024).default(32),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  JUDGE_BATCH_CONCURRENCY: int(1, 100).default(8),
  GATE_MIN_DELTA: num(0, 1).default(0.01),
  GATE_ALPHA: num(0, 1).default(0.05),
  GATE_CONSISTENCY_TOLERANCE: num(0, 1).default(0.02),
  TRAINING_MAX_CONCURRENT_RUNS: int(1, 64).default(1),
  TRAINING_SCHEDULE_MIN_NEW: int(0, 10_000_000).default(0),
  TRAINING_SCHEDULE_CRON: z.string().default("*/15 * * * *"),
  JOBS_ENABLED: bool.default(true),
  // Several instances (issue 14): a run's or evaluation's lease lasts LEASE_MS and is renewed every
  // LEASE_RENEW_MS; every instance looks for lapsed leases every LEASE_WATCH_MS and takes the work
  // over, so a dead instance's work resumes within about LEASE_MS + LEASE_WATCH_MS + a job poll.
  LEASE_MS: int(2_000, 600_000).default(6_000),
  LEASE_RENEW_MS: int(100, 60_000).default(1_000),
  LEASE_WATCH_MS: int(100, 60_000).default(1_000),
  // The sweeper (one instance per tick, a pg-boss schedule) re-sends queued/running work that has
  // no live lease and no waiting job.
  SWEEP_CRON: z.string().default("* * * * *"),
  // Cloudflare Workers (issue 12): LLM calls one Workflow step starts before it ends its chunk.
  WORKFLOW_STEP_LLM_CALLS: int(1, 100_000).default(200),
  // Benchmark datasets (issue 8): the upload limit of POST /v1/datasets, streamed.
  DATASET_BODY_LIMIT_BYTES: int(1024, 16 * 1024 * 1024 * 1024).default(200 * 1024 * 1024),
  // Production hardening (issue 9): limits, budgets, provider URL rules, faults, metrics.
  RATE_LIMIT_RPM: int(0, 10_000_000).default(0),
  TOKEN_BUDGET_PER_DAY: int(0, 1_000_000_000_000).default(0),
  JUDGE_BATCH_MAX_SAMPLES: int(1, 1_000_000).default(1000),
  LLM_BASE_URL_ALLOWLIST: z.string().optional(),
  LLM_RATE_LIMIT_RETRIES: int(0, 50).default(8),
  JUDGE_DEADLINE_MS: int(1000, 3_600_000).default(120_000),
  METRICS_PORT: int(1, 65535).optional(),
  // How often a Node instance writes its daily judge counts (judge_daily_stats) in the background.
  STATS_FLUSH_MS: int(50, 600_000).default(1_000),
});

/** `SELFJUDGE_KEY_<NAME>` variables: provider keys a version names by `api_key_env`. */
export const PROVIDER_KEY_PREFIX = "SELFJUDGE_KEY_";
const PROVIDER_KEY_RE = /^SELFJUDGE_KEY_[A-Z0-9_]{1,64}$/;

function parseAllowlist(raw: string | undefined): { value: string[]; bad: string[] } {
  const value: string[] = [];
  const bad: string[] = [];
  for (const entry of (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    try {
      const u = new URL(entry);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("scheme");
      value.push(u.href);
    } catch {
      bad.push(entry);
    }
  }
  return { value, bad };
}

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  llm: {
    baseURL: string;
    apiKey: string;
    timeoutMs: number;
    maxRetries: number;
    concurrency: number;
    /** Retries of a 429 (on top of maxRetries for 5xx/timeouts), honouring Retry-After. */
    rateLimitRetries: number;
    /** Provider URL rules (issue 9): versions' base_url allowlist and their SELFJUDGE_KEY_* keys. */
    providers: {
      /** Normalised URL prefixes a version's base_url must start with; empty = any http(s) URL. */
      allowlist: string[];
      /** SELFJUDGE_KEY_<NAME> → key, as read from the environment. */
      keys: Record<string, string>;
    };
  };
  judgeModel: string;
  generatorModel: string;
  adminKey?: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  bodyLimitBytes: number;
  batchConcurrency: number;
  gate: { minDelta: number; alpha: number; consistencyTolerance: number };
  training: { maxConcurrentRuns: number; scheduleMinNew: number; scheduleCron: string };
  jobsEnabled: boolean;
  /** Issue 14: leases of background work, the lease watch and the orphan sweeper. */
  leases: { ms: number; renewMs: number; watchMs: number; sweepCron: string };
  /** Cloudflare Workflows (issue 12). */
  workflows: { stepLlmCalls: number };
  /** Benchmark datasets (issue 8). */
  datasets: { bodyLimitBytes: number };
  // Production hardening (issue 9). 0 = unlimited for rpm and tokensPerDay.
  limits: { rpm: number; tokensPerDay: number; batchMaxSamples: number };
  judgeDeadlineMs: number;
  metricsPort?: number;
  /** Node: period of the background write of the daily judge counts. */
  statsFlushMs: number;
};

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses environment variables into a Config; throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", which is how most shells and .env files express it.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? "?")}: ${i.message}`),
    );
  }
  const e = parsed.data;
  if (e.LEASE_RENEW_MS * 2 > e.LEASE_MS) {
    throw new ConfigError([`LEASE_RENEW_MS: must be at most half of LEASE_MS (${e.LEASE_MS}), so one late renewal does not lose the lease`]);
  }
  const allowlist = parseAllowlist(e.LLM_BASE_URL_ALLOWLIST);
  if (allowlist.bad.length > 0) {
    throw new ConfigError([`LLM_BASE_URL_ALLOWLIST: not http(s) URLs: ${allowlist.bad.join(", ")}`]);
  }
  const providerKeys: Record<string, string> = {};
  for (const [name, value] of Object.entries(cleaned)) {
    if (PROVIDER_KEY_RE.test(name) && value) providerKeys[name] = value;
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    llm: {
      baseURL: e.OPENAI_BASE_URL,
      // The SDK refuses an empty key; local providers (vLLM, Ollama) accept any placeholder.
      apiKey: e.OPENAI_API_KEY || "not-set",
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      concurrency: e.LLM_CONCURRENCY,
      rateLimitRetries: e.LLM_RATE_LIMIT_RETRIES,
      providers: { allowlist: allowlist.value, keys: providerKeys },
    },
    judgeModel: e.JUDGE_MODEL,
    generatorModel: e.GENERATOR_MODEL ?? e.JUDGE_MODEL,
    adminKey: e.SELFJUDGE_ADMIN_KEY,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    batchConcurrency: e.JUDGE_BATCH_CONCURRENCY,
    gate: {
      minDelta: e.GATE_MIN_DELTA,
      alpha: e.GATE_ALPHA,
      consistencyTolerance: e.GATE_CONSISTENCY_TOLERANCE,
    },
    training: {
      maxConcurrentRuns: e.TRAINING_MAX_CONCURRENT_RUNS,
      scheduleMinNew: e.TRAINING_SCHEDULE_MIN_NEW,
      scheduleCron: e.TRAINING_SCHEDULE_CRON,
    },
    jobsEnabled: e.JOBS_ENABLED,
    leases: { ms: e.LEASE_MS, renewMs: e.LEASE_RENEW_MS, watchMs: e.LEASE_WATCH_MS, sweepCron: e.SWEEP_CRON },
    workflows: { stepLlmCalls: e.WORKFLOW_STEP_LLM_CALLS },
    datasets: { bodyLimitBytes: e.DATASET_BODY_LIMIT_BYTES },
    limits: { rpm: e.RATE_LIMIT_RPM, tokensPerDay: e.TOKEN_BUDGET_PER_DAY, batchMaxSamples: e.JUDGE_BATCH_MAX_SAMPLES },
    judgeDeadlineMs: e.JUDGE_DEADLINE_MS,
    ...(e.METRICS_PORT !== undefined ? { metricsPort: e.METRICS_PORT } : {}),
    statsFlushMs: e.STATS_FLUSH_MS,
  };
}

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
