import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-types";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  deleteIfStale,
  findIdempotencyKey,
  releaseIdempotencyKey,
} from "../db/queries/idempotency";
import { ApiError } from "../lib/errors";
import { isStreamedUpload } from "../lib/streamed-upload";
import { sha256Hex } from "../lib/hash";
import { limitSubject } from "./rate-limit";
import { errorForLog } from "../db/errors";

// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on every POST: the same caller,
// route, key and body within 24 h gets the first response again (header Idempotent-Replayed);
// the same key with another body is a 422; a key whose first request is still running is a 409.
// Stored in the database, so a retry that lands on another instance is answered the same way.
// Server errors (5xx) and 429s are not stored: the retry runs again.

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export const idempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("idempotency-key");
  // A streamed upload is not buffered to hash it; its route deduplicates its own content.
  if (c.req.method !== "POST" || header === undefined || isStreamedUpload(c.req.method, c.req.path)) return next();
  if (!KEY_RE.test(header)) {
    throw new ApiError("validation_failed", "Idempotency-Key: 1 to 255 visible ASCII characters", {
      errors: [{ path: "header.Idempotency-Key", message: "1 to 255 visible ASCII characters" }],
    });
  }
  const { database, clock, config, logger } = c.var.deps;
  const db = database.db;
  const caller = limitSubject(c) ?? "admin-env";
  const key = `${caller} POST ${c.req.path} ${header}`;
  const body = c.req.raw.body ? await c.req.text() : "";
  const requestHash = await sha256Hex(`${new URL(c.req.url).search}\n${c.req.header("content-type") ?? ""}\n${body}`);
  const now = clock.now();

  let claimed = await claimIdempotencyKey(db, { key, requestHash, now });
  if (!claimed) {
    // An expired row, or one a crashed process left in flight, no longer holds the key.
    await deleteIfStale(db, {
      key,
      before: new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
      staleBefore: new Date(now.getTime() - Math.max(config.judgeDeadlineMs * 2, 5 * 60_000)),
    });
    claimed = await claimIdempotencyKey(db, { key, requestHash, now });
  }
  if (!claimed) {
    const row = await findIdempotencyKey(db, key);
    if (row && row.requestHash !== requestHash) {
      throw new ApiError("validation_failed", "Idempotency-Key was already used with a different request body", {
        errors: [{ path: "header.Idempotency-Key", message: "already used with a different request body" }],
      });
    }
    if (row && row.status !== null) {
      return c.body(row.body ?? "", row.status as 200, {
        ...(row.contentType ? { "content-type": row.contentType } : {}),
        "idempotent-replayed": "true",
      });
    }
    throw new ApiError("conflict", "a request with this Idempotency-Key is still being processed; retry shortly", {
      retry_after_ms: 1000,
    });
  }

  if (Math.random() < 0.005) {
    void deleteExpiredIdempotencyKeys(db, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)).catch((err) =>
      logger.warn({ err: errorForLog(err) }, "idempotency cleanup failed"),
    );
  }
  try {
    await next();
  } catch (err) {
    await releaseIdempotencyKey(db, key).catch(() => {});
    throw err;
  }
  const status = c.res.status;
  try {
    if (status >= 500 || status === 429) {
      await releaseIdempotencyKey(db, key);
    } else {
      const text = redactSecret(await c.res.clone().text());
      await completeIdempotencyKey(db, { key, status, body: text, contentType: c.res.headers.get("content-type") });
    }
  } catch (err) {
    // The response itself is fine; a retry will run again instead of being replayed.
    logger.warn({ err: errorForLog(err) }, "could not store the idempotent response");
    await releaseIdempotencyKey(db, key).catch(() => {});
  }
};

/**
 * A created API key's secret is shown once and never stored: a replay of POST /v1/keys answers
 * with the same key, its secret replaced by a notice.
 */
function redactSecret(text: string): string {
  if (!text.includes('"secret"')) return text;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (body && typeof body === "object" && typeof body.secret === "string") {
      return JSON.stringify({ ...body, secret: "(shown once; not replayed: revoke this key and create another if it was lost)" });
    }
  } catch {
    // not JSON: stored as it is
  }
  return text;
}
