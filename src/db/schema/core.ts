import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export type DialogueTurn = { role: "system" | "user" | "assistant"; content: string };
/**
 * Multi-turn context of a judged pair: the shared earlier turns ending with a user turn, or two full
 * conversations with the same user turns that end with each assistant's reply.
 */
export type StoredDialogue = { conversation: DialogueTurn[] } | { conversation_a: DialogueTurn[]; conversation_b: DialogueTurn[] };

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const evaluators = pgTable("evaluators", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  criteria: text("criteria").notNull(),
  seedModel: text("seed_model").notNull(),
  createdAt: createdAt(),
});

export type VersionStatus = "candidate" | "active" | "retired" | "rejected";
export type VersionParams = {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  samples?: number;
  swap?: boolean;
  /** Ask the provider for token log-probabilities and derive confidence from them. */
  logprobs?: boolean;
};
/** Output format of a version's judge (src/judging/templates). */
export type VersionTemplate = "standard" | "plan-execute";
/** One member of a jury version; every member judges and the verdict is their weighted majority. */
export type JuryMember = {
  model: string;
  base_url?: string | null;
  weight?: number;
  /** Names the provider key (SELFJUDGE_KEY_<NAME>) the member's calls use; default the global key. */
  api_key_env?: string | null;
};
/** A jury member's own result on one judgment. */
export type MemberVote = {
  member: number;
  model: string;
  weight: number;
  verdict: "A" | "B" | "tie" | null;
  confidence: number;
  confidence_source?: "logprobs" | "votes";
  verdict_probabilities?: VerdictProbabilities | null;
  position_consistent: boolean;
  votes: VoteCounts;
};
export type FewShotExample = { instruction: string; response_a: string; response_b: string; judgment: string };

/** Versions are immutable apart from status and the evaluation numbers written onto them. */
export const versions = pgTable(
  "versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    number: integer("number").notNull(),
    name: text("name").notNull(),
    model: text("model").notNull(),
    baseUrl: text("base_url"),
    // Name of the SELFJUDGE_KEY_* variable holding this provider's key (never the key itself).
    apiKeyEnv: text("api_key_env"),
    promptTemplate: text("prompt_template").notNull(),
    template: text("template").$type<VersionTemplate>().notNull().default("standard"),
    // null: a single-model version (model, base_url); otherwise a jury of these members.
    members: jsonb("members").$type<JuryMember[]>(),
    fewShot: jsonb("few_shot").$type<FewShotExample[]>().notNull().default([]),
    params: jsonb("params").$type<VersionParams>().notNull().default({}),
    status: text("status").$type<VersionStatus>().notNull().default("candidate"),
    notes: text("notes"),
    trainingRunId: uuid("training_run_id"),
    iteration: integer("iteration"),
    metrics: jsonb("metrics").$type<Record<string, unknown>>(),
    gateDecision: jsonb("gate_decision").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    activatedAt: timestamp("activated_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("versions_evaluator_number_uq").on(t.evaluatorId, t.number),
    uniqueIndex("versions_evaluator_name_uq").on(t.evaluatorId, t.name),
    // The database itself guarantees at most one active version per evaluator.
    uniqueIndex("versions_one_active_uq").on(t.evaluatorId).where(sql`${t.status} = 'active'`),
  ],
);

export type Vote = "A" | "B" | "tie" | "invalid";
export type VoteCounts = { A: number; B: number; tie: number; invalid: number };
export type VerdictProbabilities = { A: number; B: number; tie: number };
export type StoredSample = {
  order: "ab" | "ba";
  index: number;
  text: string;
  vote: Vote;
  raw_vote: Vote;
  reason?: string;
  /** Index into the version's jury members, for a jury version. */
  member?: number;
  /** This output's caller-frame verdict probabilities, when log-probabilities were asked for and sent. */
  probabilities?: VerdictProbabilities | null;
};
export type Usage = { prompt_tokens: number; completion_tokens: number; llm_requests: number };

export const judgments = pgTable(
  "judgments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    evaluatorId: uuid("evaluator_id").notNull().references(() => evaluators.id),
    versionId: uuid("version_id").notNull().references(() => versions.id),
    requestHash: text("request_hash").notNull(),
    instruction: text("instruction").notNull(),
    responseA: text("response_a").notNull(),
    responseB: text("response_b").notNull(),
    reference: text("reference"),
    samples: integer("samples").notNull(),
    swap: boolean("swap").notNull(),
    temperature: real("temperature"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    // Issue 8: a multi-turn request's conversation(s); `instruction` then holds the last user turn with its context.
    dialogue: jsonb("dialogue").$type<StoredDialogue>(),
    // timeout: no verdict within JUDGE_DEADLINE_MS (stored, answered 504).
    status: text("status").$type<"ok" | "failed" | "timeout">().notNull(),
    verdict: text("verdict").$type<"A" | "B" | "tie">(),
    confidence: real("confidence"),
    // "logprobs": from the verdict tokens' log-probabilities; "votes": the share of votes.
    confidenceSource: text("confidence_source").$type<"logprobs" | "votes">(),
    // Caller-frame probabilities of A / B / tie from the verdict tokens (both orders combined); null without log-probs.
    verdictProbabilities: jsonb("verdict_probabilities").$type<VerdictProbabilities>(),
    memberVotes: jsonb("member_votes").$type<MemberVote[]>(),
    positionConsistent: boolean("position_consistent"),
    reasoning: text("reasoning"),
    votes: jsonb("votes").$type<VoteCounts>(),
    rawOutputs: jsonb("raw_outputs").$type<StoredSample[]>().notNull().default([]),
    usage: jsonb("usage").$type<Usage>().notNull(),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    apiKeyId: uuid("api_key_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("judgments_evaluator_created_idx").on(t.evaluatorId, t.createdAt),
    // The cache lookup (findCachedJudgment: all three equal, newest first) in one index. A
    // request_hash-only index lost to (evaluator)/(version) bitmap scans whenever the planner's row
    // estimates were stale (a young or fast-growing table), turning every cache miss into a scan
    // of the version's judgments: judge throughput fell as the table grew.
    index("judgments_cache_idx").on(t.requestHash, t.evaluatorId, t.versionId, t.createdAt),
    index("judgments_version_idx").on(t.versionId),
    // The console's instruction search (word match, any language): a GIN index, not a scan.
    index("judgments_instruction_fts_idx").using("gin", sql`to_tsvector('simple', ${t.instruction})`),
  ],
);

export type KeyScope = "judge" | "admin";

export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  scope: text("scope").$type<KeyScope>().notNull(),
  prefix: text("prefix").notNull(),
  hash: text("hash").notNull().unique(),
  // Tenant scope: null = every evaluator; otherwise the evaluator ids this key may use.
  evaluatorIds: jsonb("evaluator_ids").$type<string[]>(),
  // Per-key limits; null = the global RATE_LIMIT_RPM / TOKEN_BUDGET_PER_DAY, 0 = unlimited.
  rateLimitRpm: integer("rate_limit_rpm"),
  tokenBudgetPerDay: integer("token_budget_per_day"),
  createdAt: createdAt(),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
});

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    evaluatorId: uuid("evaluator_id").references(() => evaluators.id),
    action: text("action").notNull(),
    fromVersionId: uuid("from_version_id"),
    toVersionId: uuid("to_version_id"),
    // "admin-env" for the bootstrap key, a key id for scoped keys, null when auth is off.
    actor: text("actor"),
    reason: text("reason"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_events_evaluator_created_idx").on(t.evaluatorId, t.createdAt)],
);
