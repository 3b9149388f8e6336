import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-types";
import { ApiError } from "../lib/errors";
import { isStreamedUpload } from "../lib/streamed-upload";
import { findBadString, hasBadChars, textProblem, type BadString } from "../lib/text-hygiene";

// Refuses NUL characters and lone UTF-16 surrogates anywhere in a request (path, query, JSON or
// JSONL body) with a 422 naming the field, before any handler runs: PostgreSQL cannot store a NUL
// in text or jsonb, and a lone surrogate cannot be encoded as UTF-8 at all.

// JSON can only smuggle these in as escapes; a raw NUL inside a JSON string is invalid JSON anyway.
const SUSPICIOUS_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

function refuse(found: BadString[]): never {
  const first = found[0]!;
  throw new ApiError("validation_failed", `${first.path}: ${first.message}`, { errors: found.slice(0, 20) });
}

function checkBody(text: string, contentType: string): BadString[] {
  const raw = hasBadChars(text);
  if (!raw && !SUSPICIOUS_ESCAPE.test(text)) return [];
  const isJson = /^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType);
  if (isJson) {
    try {
      return findBadString(JSON.parse(text), "body");
    } catch {
      // Not JSON: the route's own parser answers 400/422 for that.
      return raw ? [textProblem("body", text)!] : [];
    }
  }
  // JSON Lines (held-out and traffic imports) and anything else: line by line.
  const found: BadString[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (found.length >= 20 || line.trim() === "") return;
    let value: unknown = line;
    try {
      value = JSON.parse(line);
    } catch {
      // not JSON: check the line as text
    }
    found.push(...findBadString(value, `line ${i + 1}`));
  });
  return found;
}

export const inputHygiene: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  const found: BadString[] = [];
  for (const segment of url.pathname.split("/")) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new ApiError("bad_request", "the path has a malformed percent-encoding");
    }
    const p = textProblem("path", decoded);
    if (p) found.push(p);
  }
  for (const [name, value] of url.searchParams) {
    const p = textProblem(`query.${name.replace(/[^\x20-\x7e]/g, "?")}`, `${name}${value}`);
    if (p) found.push(p);
  }
  if (found.length > 0) refuse(found);
  const method = c.req.method;
  // Streamed uploads (POST /v1/datasets) are never buffered here: their route parses them line by line.
  if (method !== "GET" && method !== "HEAD" && method !== "DELETE" && c.req.raw.body && !isStreamedUpload(c.req.method, c.req.path)) {
    const bad = checkBody(await c.req.text(), c.req.header("content-type") ?? "");
    if (bad.length > 0) refuse(bad);
  }
  return next();
};
