import { withChildSignal } from "../lib/child-signal";
import type { ChatMessage, LlmClient, TokenUsage } from "../llm/types";
import { addUsage, ZERO_USAGE } from "../llm/types";
import { aggregateVotes, toCallerFrame, type Order, type Verdict, type Vote, type VoteCounts } from "./aggregate";
import { dialogueView, type Dialogue } from "./dialogue";
import {
  combinedDistribution,
  judgmentConfidence,
  sampleDistribution,
  toCallerDistribution,
  type ConfidenceSource,
  type VerdictDistribution,
} from "./confidence";
import { aggregateJury, type JuryMemberSpec, type MemberVote } from "./jury";
import { parseJudgment, type TemplateName } from "./templates";
import { renderJudgeMessages, type FewShotExample, type JudgeTemplate } from "./prompt";

export interface JudgeVersionSpec {
  model: string;
  /** Overrides the LLM client's default base URL for this version (e.g. a vLLM serving a LoRA). */
  base_url?: string | null;
  /** SELFJUDGE_KEY_<NAME> holding the key for base_url (never the key itself). */
  api_key_env?: string | null;
  prompt_template: string | JudgeTemplate;
  /** Output format and parser; default "standard". */
  template?: TemplateName;
  criteria: string;
  /** A jury: every member judges, the verdict is their weighted majority (model/base_url unused). */
  members?: readonly JuryMemberSpec[] | null;
  few_shot?: readonly FewShotExample[] | null;
  /** logprobs: ask for the verdict token's log-probabilities and derive confidence from them. */
  params: { temperature?: number; top_p?: number; max_tokens?: number; logprobs?: boolean };
}

export interface JudgeInput {
  instruction: string;
  response_a: string;
  response_b: string;
  reference?: string | null;
  /** Multi-turn context (src/judging/dialogue.ts); response_a / response_b are then the final replies. */
  dialogue?: Dialogue | null;
}

export interface SampleOptions {
  order: Order;
  n: number;
  temperature?: number;
  top_p?: number;
  signal?: AbortSignal;
}

export interface RawJudgment {
  index: number;
  text: string;
  /** Vote in the judge's own frame (what the marker literally says). */
  raw_vote: Vote;
  /** Vote mapped to the caller's frame. */
  vote: Vote;
  /** Why the text was invalid. */
  reason?: string;
  /**
   * Caller-frame probabilities of A / B / tie at the verdict token (src/judging/confidence.ts);
   * only when log-probabilities were asked for, null when the provider sent none usable.
   */
  distribution?: VerdictDistribution | null;
}

export interface OrderJudgments {
  order: Order;
  /** The exact prompt sent, so training can store (prompt → judgment) pairs. */
  messages: ChatMessage[];
  judgments: RawJudgment[];
  usage: TokenUsage;
}

export interface JudgeSample extends RawJudgment {
  order: Order;
  /** Index into the version's jury members, for a jury version. */
  member?: number;
}

export interface JudgeOutcome {
  verdict: Verdict | null;
  confidence: number;
  /** "logprobs" when confidence is the verdict's probability from token log-probs, else "votes". */
  confidence_source: ConfidenceSource;
  /** Caller-frame A / B / tie probabilities, both orders combined; null without log-probs. */
  verdict_probabilities: VerdictDistribution | null;
  position_consistent: boolean;
  /**
   * Text of the first sample (order ab before ba) whose caller-frame vote equals the verdict.
   * null when no sample voted for the verdict (a position-inconsistent tie where every sample
   * picked a side) or when there is no verdict; all texts remain available in `samples`.
   */
  reasoning: string | null;
  /** Index into `samples` of the judgment quoted in `reasoning`, or null. */
  reasoning_index: number | null;
  votes: VoteCounts;
  samples: JudgeSample[];
  usage: TokenUsage;
  /** Each jury member's own result; absent for a single-model version. */
  members?: MemberVote[];
}

export interface JudgeOptions {
  samples: number;
  swap: boolean;
  temperature?: number;
  top_p?: number;
  signal?: AbortSignal;
}

/**
 * Sampling defaults: explicit option, then the version's params, then 0.7 / 0.9 (the paper's
 * settings) when several samples are drawn. A single sample defaults to temperature 0, since
 * there is nothing to vote over.
 */
function samplingParams(version: JudgeVersionSpec, o: { n: number; temperature?: number; top_p?: number }) {
  const temperature = o.temperature ?? version.params.temperature ?? (o.n > 1 ? 0.7 : 0);
  const top_p = o.top_p ?? version.params.top_p ?? (o.n > 1 ? 0.9 : undefined);
  return { temperature, ...(top_p === undefined ? {} : { top_p }) };
}

/** One completion call with n samples for one answer order. Reused by rejection sampling in training. */
export async function sampleJudgments(
  llm: LlmClient,
  version: JudgeVersionSpec,
  input: JudgeInput,
  opts: SampleOptions,
): Promise<OrderJudgments> {
  const view = input.dialogue ? dialogueView(input.dialogue, input) : input;
  const [shownA, shownB] =
    opts.order === "ab" ? [view.response_a, view.response_b] : [view.response_b, view.response_a];
  const messages = renderJudgeMessages(version.prompt_template, {
    criteria: version.criteria,
    instruction: view.instruction,
    responseA: shownA,
    responseB: shownB,
    reference: input.reference ?? null,
    fewShot: version.few_shot ?? null,
  });
  const result = await llm.complete({
    model: version.model,
    ...(version.base_url ? { baseURL: version.base_url } : {}),
    ...(version.api_key_env ? { apiKeyEnv: version.api_key_env } : {}),
    messages,
    n: opts.n,
    ...samplingParams(version, opts),
    ...(version.params.max_tokens !== undefined ? { max_tokens: version.params.max_tokens } : {}),
    ...(version.params.logprobs ? { logprobs: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const judgments = result.texts.map((text, index): RawJudgment => {
    const parsed = parseJudgment(version.template, text);
    const base: RawJudgment = { index, text, raw_vote: parsed.vote, vote: toCallerFrame(parsed.vote, opts.order) };
    if (version.params.logprobs) {
      const d = sampleDistribution(text, parsed.vote, result.logprobs?.[index]);
      base.distribution = d && toCallerDistribution(d, opts.order);
    }
    return parsed.vote === "invalid" ? { ...base, reason: parsed.reason } : base;
  });
  return { order: opts.order, messages, judgments, usage: result.usage };
}

/**
 * Judges a pair. LLM failures propagate (as LlmError): a failed call never becomes a verdict.
 * With swap both orders run concurrently; if one fails the other is cancelled. A jury version's
 * members all judge at once (through the same client, so under the same concurrency cap); one
 * member's failure fails the judgment and cancels the others' calls.
 */
export async function judgePair(
  llm: LlmClient,
  version: JudgeVersionSpec,
  input: JudgeInput,
  opts: JudgeOptions,
): Promise<JudgeOutcome> {
  if (!Number.isInteger(opts.samples) || opts.samples < 1) {
    throw new RangeError(`samples must be a positive integer, got ${opts.samples}`);
  }
  if (version.members && version.members.length > 0) return judgeJury(llm, version, version.members, input, opts);
  return judgeSingle(llm, version, input, opts);
}

async function judgeJury(
  llm: LlmClient,
  version: JudgeVersionSpec,
  members: readonly JuryMemberSpec[],
  input: JudgeInput,
  opts: JudgeOptions,
): Promise<JudgeOutcome> {
  const outcomes = await withChildSignal(opts.signal, (siblings) =>
    Promise.all(
      members.map((m) =>
        judgeSingle(
          llm,
          { ...version, model: m.model, base_url: m.base_url ?? version.base_url ?? null, api_key_env: m.api_key_env ?? null, members: null },
          input,
          { ...opts, signal: siblings.signal },
        ).catch((err: unknown) => {
          siblings.abort(err);
          throw err;
        }),
      ),
    ),
  );
  const jury = aggregateJury(members, outcomes);
  const samples: JudgeSample[] = outcomes.flatMap((o, member) => o.samples.map((s) => ({ ...s, member })));
  // Quote a judgment that voted for the verdict, from a member whose own verdict it was.
  const found =
    jury.verdict === null
      ? -1
      : samples.findIndex((s) => s.vote === jury.verdict && outcomes[s.member!]!.verdict === jury.verdict);
  const fallback = jury.verdict === null || found >= 0 ? found : samples.findIndex((s) => s.vote === jury.verdict);
  return {
    verdict: jury.verdict,
    confidence: jury.confidence,
    confidence_source: jury.confidence_source,
    verdict_probabilities: jury.verdict_probabilities,
    position_consistent: jury.position_consistent,
    reasoning: fallback >= 0 ? samples[fallback]!.text : null,
    reasoning_index: fallback >= 0 ? fallback : null,
    votes: jury.votes,
    samples,
    usage: outcomes.reduce<TokenUsage>((u, o) => addUsage(u, o.usage), { ...ZERO_USAGE }),
    members: jury.members,
  };
}

async function judgeSingle(
  llm: LlmClient,
  version: JudgeVersionSpec,
  input: JudgeInput,
  opts: JudgeOptions,
): Promise<JudgeOutcome> {
  const orders: Order[] = opts.swap ? ["ab", "ba"] : ["ab"];
  const perOrder = await withChildSignal(opts.signal, (siblings) =>
    Promise.all(
      orders.map((order) =>
        sampleJudgments(llm, version, input, {
          order,
          n: opts.samples,
          signal: siblings.signal,
          ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
          ...(opts.top_p !== undefined ? { top_p: opts.top_p } : {}),
        }).catch((err: unknown) => {
          siblings.abort(err);
          throw err;
        }),
      ),
    ),
  );

  const samples: JudgeSample[] = perOrder.flatMap((o) => o.judgments.map((j) => ({ order: o.order, ...j })));
  const byOrder = (order: Order) => samples.filter((s) => s.order === order).map((s) => s.vote);
  const agg = aggregateVotes(opts.swap ? { ab: byOrder("ab"), ba: byOrder("ba") } : { ab: byOrder("ab") });
  const found = agg.verdict === null ? -1 : samples.findIndex((s) => s.vote === agg.verdict);
  const probs = version.params.logprobs
    ? combinedDistribution(samples.map((s) => ({ order: s.order, vote: s.vote, distribution: s.distribution ?? null })))
    : null;
  const { confidence, source } = judgmentConfidence(agg.verdict, agg.confidence, probs);

  return {
    verdict: agg.verdict,
    confidence,
    confidence_source: source,
    verdict_probabilities: probs,
    position_consistent: agg.position_consistent,
    reasoning: found >= 0 ? samples[found]!.text : null,
    reasoning_index: found >= 0 ? found : null,
    votes: agg.votes,
    samples,
    usage: perOrder.reduce<TokenUsage>((u, o) => addUsage(u, o.usage), { ...ZERO_USAGE }),
  };
}
