import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isScoredReply, tokenLogprobs, type ScoredChoice, type ScoredReply } from "./logprobs";

/**
 * A real OpenAI-compatible HTTP server for tests: the openai SDK talks to it over TCP, so
 * retries, timeouts and header handling are exercised for real.
 */

export interface FakeChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  n?: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  [key: string]: unknown;
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for bodiless or non-JSON requests). */
  body: unknown;
  at: number;
}

export interface BehaviorContext {
  /** 0-based count of chat completion requests received before this one. */
  requestIndex: number;
  /** How many choices this reply should hold: n when honoured, else 1. */
  choices: number;
  calls: readonly RecordedCall[];
}

export interface FakeHttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Returned by a behaviour to keep the request open without ever answering. */
export const HANG: unique symbol = Symbol("hang");

/**
 * string → that text in every choice; string[] → one text per choice (a shorter array yields
 * fewer choices, like a provider ignoring n); FakeHttpReply → that status/body; HANG → no answer;
 * ScoredReply → one choice per entry, with the verdict probabilities its logprobs report when asked.
 */
export type BehaviorReply = string | string[] | ScoredReply | FakeHttpReply | typeof HANG;
export type Behavior = (req: FakeChatRequest, ctx: BehaviorContext) => BehaviorReply | Promise<BehaviorReply>;

export interface FakeLlmOptions {
  behavior?: Behavior;
  /** false mimics Ollama / llama.cpp / Groq: one choice whatever n says. Default true. */
  honoursN?: boolean;
  /** Delay before every answer. Default 0. */
  latencyMs?: number;
  /**
   * true mimics a reasoning model or an OpenAI-compatible server without log-probabilities: a
   * chat request carrying `logprobs` or `top_logprobs` gets OpenAI's 400 for an unsupported
   * parameter (LOGPROBS_REFUSED). Default false.
   */
  refusesLogprobs?: boolean;
  routes?: FakeRoute[];
  /** Port on 127.0.0.1; default 0 (any free one). */
  port?: number;
}

export interface FakeRouteContext {
  body: unknown;
  /** The request body as received (multipart uploads are not JSON). */
  raw: Buffer;
  calls: readonly RecordedCall[];
  /** Matches of `path` when it is a RegExp. */
  params: RegExpMatchArray | null;
}

/** Extra endpoints (e.g. /v1/files, /v1/fine_tuning/jobs) live in other files and plug in here. */
export interface FakeRoute {
  method: string;
  /** Exact path ("/v1/files") or a RegExp tested against the path without query string. */
  path: string | RegExp;
  handle(req: IncomingMessage, ctx: FakeRouteContext): FakeHttpReply | typeof HANG | Promise<FakeHttpReply | typeof HANG>;
}

export interface FakeLlm {
  /** Base URL ending in /v1. */
  url: string;
  calls: RecordedCall[];
  /** Only the POST /v1/chat/completions bodies, in arrival order. */
  chatRequests(): FakeChatRequest[];
  setBehavior(b: Behavior): void;
  setOptions(o: Partial<Pick<FakeLlmOptions, "honoursN" | "latencyMs" | "refusesLogprobs">>): void;
  registerRoute(route: FakeRoute): void;
  close(): Promise<void>;
}

export const defaultBehavior: Behavior = () => "This is a fake reply.";

export async function startFakeLlm(opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  let behavior = opts.behavior ?? defaultBehavior;
  let honoursN = opts.honoursN ?? true;
  let latencyMs = opts.latencyMs ?? 0;
  let refusesLogprobs = opts.refusesLogprobs ?? false;
  let chatCount = 0;
  let idSeq = 0;
  const calls: RecordedCall[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const chatRoute: FakeRoute = {
    method: "POST",
    path: "/v1/chat/completions",
    async handle(_req, { body }) {
      const chat = body as FakeChatRequest;
      if (!chat || typeof chat.model !== "string" || !Array.isArray(chat.messages)) {
        return errorReply(400, "model and messages are required");
      }
      if (refusesLogprobs && (chat.logprobs !== undefined || chat.top_logprobs !== undefined)) return LOGPROBS_REFUSED;
      const asked = chat.n ?? 1;
      const choices = honoursN ? asked : 1;
      const reply = await behavior(chat, { requestIndex: chatCount++, choices, calls });
      if (reply === HANG) return HANG;
      if (isScoredReply(reply)) return { status: 200, body: completionBody(chat, reply.scored.slice(0, choices), `chatcmpl-fake-${++idSeq}`) };
      if (typeof reply === "object" && !Array.isArray(reply)) return reply;
      const texts = typeof reply === "string" ? Array.from({ length: choices }, () => reply) : reply.slice(0, choices);
      return { status: 200, body: completionBody(chat, texts.map((text) => ({ text })), `chatcmpl-fake-${++idSeq}`) };
    },
  };
  const modelsRoute: FakeRoute = {
    method: "GET",
    path: "/v1/models",
    handle: () => ({
      status: 200,
      body: { object: "list", data: [{ id: "fake-judge", object: "model", created: 0, owned_by: "fake" }] },
    }),
  };
  const routes: FakeRoute[] = [chatRoute, modelsRoute, ...(opts.routes ?? [])];

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, errorReply(500, String(err)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
    } catch {
      body = undefined;
    }
    calls.push({ method: req.method ?? "GET", path, headers: { ...req.headers }, body, at: Date.now() });

    let params: RegExpMatchArray | null = null;
    // Later registrations win, so a test can override a built-in endpoint.
    const route = [...routes].reverse().find((r) => {
      if (r.method.toUpperCase() !== req.method) return false;
      if (typeof r.path === "string") return r.path === path;
      params = path.match(r.path);
      return params !== null;
    });
    const reply = route ? await route.handle(req, { body, raw, calls, params }) : errorReply(404, `no route ${req.method} ${path}`);
    if (reply === HANG) return;
    if (latencyMs > 0) await delay(latencyMs);
    if (!res.destroyed) send(res, reply);
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    chatRequests: () =>
      calls.filter((c) => c.method === "POST" && c.path === "/v1/chat/completions").map((c) => c.body as FakeChatRequest),
    setBehavior(b) {
      behavior = b;
    },
    setOptions(o) {
      if (o.honoursN !== undefined) honoursN = o.honoursN;
      if (o.latencyMs !== undefined) latencyMs = o.latencyMs;
      if (o.refusesLogprobs !== undefined) refusesLogprobs = o.refusesLogprobs;
    },
    registerRoute(route) {
      routes.push(route);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // Hanging requests would otherwise keep close() waiting forever.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

export function errorReply(status: number, message: string, headers?: Record<string, string>): FakeHttpReply {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { error: { message, type: status === 429 ? "rate_limit_exceeded" : "invalid_request_error", param: null, code: null } },
  };
}

/** OpenAI's answer when a model does not take a parameter (as reasoning models do for logprobs). */
export const LOGPROBS_REFUSED: FakeHttpReply = {
  status: 400,
  body: {
    error: {
      message: "Unsupported parameter: 'logprobs' is not supported with this model.",
      type: "invalid_request_error",
      param: "logprobs",
      code: "unsupported_parameter",
    },
  },
};

/** Log-probabilities only when the request asked for them, as OpenAI does. */
function completionBody(req: FakeChatRequest, scored: ScoredChoice[], id: string) {
  const promptTokens = req.messages.reduce((sum, m) => sum + countTokens(String(m.content ?? "")), 0);
  const completionTokens = scored.reduce((sum, c) => sum + countTokens(c.text), 0);
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    choices: scored.map((c, index) => ({
      index,
      message: { role: "assistant", content: c.text },
      finish_reason: "stop",
      logprobs: req.logprobs === true && c.logprobs !== false ? tokenLogprobs(c.text, c.probs, req.top_logprobs ?? 0) : null,
    })),
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

/** Deterministic stand-in for a tokenizer: whitespace-separated words, at least 1. */
export function countTokens(text: string): number {
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}

function send(res: ServerResponse, reply: FakeHttpReply): void {
  const payload = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": typeof reply.body === "string" ? "text/plain" : "application/json",
    ...reply.headers,
  });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
