/**
 * The typed selfjudge client: `import { createClient } from "selfjudge/client"`.
 *
 * Its types come from the server's own route definitions (hono's `hc` over `ApiType`, built
 * from the ROUTERS list in src/routes/index.ts), so a change to a route's schema breaks callers
 * at compile time. Only types are imported from the server: the bundle holds hono's small
 * client and this folder.
 */
import { hc, type ClientResponse, type InferRequestType } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { ApiType } from "../routes";
import { errorFromResponse } from "./errors";
import { retryingFetch, type RetryOptions } from "./retry-fetch";

export { SelfjudgeConnectionError, SelfjudgeError } from "./errors";
export type { ApiType } from "../routes";
export type { RetryOptions } from "./retry-fetch";

export interface ClientOptions extends RetryOptions {
  /** Default: SELFJUDGE_URL, else http://127.0.0.1:8787 */
  baseUrl?: string;
  /** Bearer key (admin or judge scope). Default: SELFJUDGE_API_KEY; none when unset. */
  apiKey?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** The fetch to wrap (tests, proxies). Default: globalThis.fetch */
  fetch?: typeof fetch;
  /** Where the defaults are read from. Default: process.env when there is one. */
  env?: Record<string, string | undefined>;
}

export const DEFAULT_BASE_URL = "http://127.0.0.1:8787";

/** The body of a response's success statuses, for a response type from the typed client. */
export type SuccessBody<R> =
  R extends ClientResponse<infer T, infer S, any> ? (S extends SuccessStatusCode ? T : never) : never;

/**
 * Awaits a typed-client call and returns its 2xx body; any other status becomes a thrown
 * SelfjudgeError (status, title, detail from the problem+json body).
 */
export async function unwrap<R extends ClientResponse<any, any, any>>(call: Promise<R> | R): Promise<SuccessBody<R>> {
  const res = await call;
  if (!res.ok) throw await errorFromResponse(res as unknown as Response);
  if (res.status === 204) return undefined as SuccessBody<R>;
  return (await res.json()) as SuccessBody<R>;
}

function defaultEnv(): Record<string, string | undefined> {
  // The client may run in browsers and workers too, where there is no process.
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

/** baseUrl and apiKey as createClient resolves them: options, then env, then defaults. Pure. */
export function resolveClientOptions(opts: ClientOptions = {}): { baseUrl: string; apiKey: string | undefined } {
  const env = opts.env ?? defaultEnv();
  const baseUrl = (opts.baseUrl ?? env.SELFJUDGE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const apiKey = opts.apiKey ?? (env.SELFJUDGE_API_KEY || undefined);
  return { baseUrl, apiKey };
}

export function createClient(opts: ClientOptions = {}) {
  const { baseUrl, apiKey } = resolveClientOptions(opts);
  const headers: Record<string, string> = { ...opts.headers };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const fetchImpl = retryingFetch(opts.fetch ?? globalThis.fetch.bind(globalThis), opts);
  const api = hc<ApiType>(baseUrl, { fetch: fetchImpl, headers });

  type JudgeBody = InferRequestType<typeof api.v1.judge.$post>["json"];
  type BatchBody = InferRequestType<(typeof api.v1.judge.batch)["$post"]>["json"];

  return {
    baseUrl,
    /** Every route, typed: `await unwrap(client.api.v1.versions.$get({ query: {} }))`. */
    api,
    /** POST /v1/judge: the verdict, or a thrown SelfjudgeError. */
    judge: (body: JudgeBody, init?: { signal?: AbortSignal }) =>
      unwrap(api.v1.judge.$post({ json: body }, { init: { signal: init?.signal } })),
    /** POST /v1/judge/batch: one result or problem per item, in input order. */
    judgeBatch: (body: BatchBody, init?: { signal?: AbortSignal }) =>
      unwrap(api.v1.judge.batch.$post({ json: body }, { init: { signal: init?.signal } })),
    /** GET /healthz */
    health: () => unwrap(api.healthz.$get()),
  };
}

export type SelfjudgeClient = ReturnType<typeof createClient>;
export type JudgeRequest = Parameters<SelfjudgeClient["judge"]>[0];
export type JudgeResult = Awaited<ReturnType<SelfjudgeClient["judge"]>>;
export type JudgeBatchResult = Awaited<ReturnType<SelfjudgeClient["judgeBatch"]>>;
