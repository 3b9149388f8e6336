// Provider URLs and the keys sent to them (pure; no env reads: keys come from the parsed config).
//
// Rules: a base_url is an http(s) URL, and when LLM_BASE_URL_ALLOWLIST is set it must start with
// one of its entries. A version with its own base_url gets its own key, named by `api_key_env`
// (a SELFJUDGE_KEY_<NAME> variable), or none at all: never the global OPENAI_API_KEY, which
// belongs to OPENAI_BASE_URL only.

import { PROVIDER_KEY_PREFIX } from "../config";
import { ApiError } from "../lib/errors";

export interface ProviderRules {
  /** Normalised URL prefixes; empty = any http(s) URL. */
  allowlist: readonly string[];
  /** SELFJUDGE_KEY_<NAME> → key. */
  keys: Readonly<Record<string, string>>;
}

const NAME_RE = /^[A-Z0-9_]{1,64}$/;

/** `MISTRAL` or `SELFJUDGE_KEY_MISTRAL` → `SELFJUDGE_KEY_MISTRAL`; null when not a valid name. */
export function normaliseKeyEnv(name: string): string | null {
  const bare = name.startsWith(PROVIDER_KEY_PREFIX) ? name.slice(PROVIDER_KEY_PREFIX.length) : name;
  return NAME_RE.test(bare) ? `${PROVIDER_KEY_PREFIX}${bare}` : null;
}

/** Why `url` may not be used as a provider base URL, or null when it may. */
export function baseUrlProblem(rules: Pick<ProviderRules, "allowlist">, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "not a URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "only http and https URLs are accepted";
  if (u.username || u.password) return "credentials in the URL are not accepted; name a key with api_key_env";
  if (rules.allowlist.length > 0 && !rules.allowlist.some((prefix) => allowedBy(prefix, u))) {
    return "not allowed by LLM_BASE_URL_ALLOWLIST";
  }
  return null;
}

function allowedBy(prefix: string, u: URL): boolean {
  const p = new URL(prefix);
  if (p.origin !== u.origin) return false;
  const base = p.pathname.endsWith("/") ? p.pathname : `${p.pathname}/`;
  const path = u.pathname.endsWith("/") ? u.pathname : `${u.pathname}/`;
  return path.startsWith(base);
}

export type ResolvedProvider =
  | { ok: true; baseURL?: string; apiKey?: string }
  | { ok: false; problem: string };

/**
 * The base URL and key one LLM request uses. No base_url: the client's defaults
 * (OPENAI_BASE_URL with OPENAI_API_KEY, or with the named key). A base_url: that URL, checked
 * against the rules again (the allowlist may have changed since the version was stored), with
 * the named key or with none.
 */
export function resolveApiKey(
  rules: ProviderRules,
  spec: { baseURL?: string | null; apiKeyEnv?: string | null },
): ResolvedProvider {
  let apiKey: string | undefined;
  if (spec.apiKeyEnv) {
    const name = normaliseKeyEnv(spec.apiKeyEnv);
    const value = name ? rules.keys[name] : undefined;
    if (!value) return { ok: false, problem: `provider key ${name ?? "(invalid name)"} is not configured on this instance` };
    apiKey = value;
  }
  if (!spec.baseURL) return { ok: true, ...(apiKey !== undefined ? { apiKey } : {}) };
  const problem = baseUrlProblem(rules, spec.baseURL);
  if (problem) return { ok: false, problem: `base_url ${problem}` };
  return { ok: true, baseURL: spec.baseURL, apiKey: apiKey ?? "" };
}

/**
 * Checks a version's provider settings before they are stored: 422 naming the field when the
 * base_url breaks the rules or api_key_env names no configured key. Returns the normalised name.
 */
export function validateProviderSettings(
  rules: ProviderRules,
  p: { baseUrl?: string | null; apiKeyEnv?: string | null },
): { baseUrl: string | null; apiKeyEnv: string | null } {
  const fail = (path: string, message: string) =>
    new ApiError("validation_failed", `${path}: ${message}`, { errors: [{ path, message }] });
  if (p.baseUrl) {
    const problem = baseUrlProblem(rules, p.baseUrl);
    if (problem) throw fail("base_url", problem);
  }
  let apiKeyEnv: string | null = null;
  if (p.apiKeyEnv) {
    apiKeyEnv = normaliseKeyEnv(p.apiKeyEnv);
    if (!apiKeyEnv) throw fail("api_key_env", "must be a SELFJUDGE_KEY_<NAME> variable name (A-Z, 0-9, _)");
    if (!rules.keys[apiKeyEnv]) throw fail("api_key_env", `${apiKeyEnv} is not set on this instance`);
  }
  return { baseUrl: p.baseUrl ?? null, apiKeyEnv };
}
