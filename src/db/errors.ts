/** True for a unique-constraint violation, whichever driver (and drizzle wrapper) raised it. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

function* causes(err: unknown): Generator<Record<string, unknown>> {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    yield e as Record<string, unknown>;
  }
}

// postgres.js connection codes and Node socket errors; SQLSTATE 08 (connection exception),
// 57P01-57P03 (shutdown, crash recovery) and 53300 (too many connections).
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** True when the database could not be reached or dropped the connection: retryable (503). */
export function isConnectionError(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = e.code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || code.startsWith("08"))) return true;
    // Embedded PGlite has no socket; a closed instance is the same thing for a request.
    if (e.message === "PGlite is closed") return true;
  }
  return false;
}

/**
 * A SQLSTATE data exception (class 22: out-of-range date, invalid text, untranslatable character)
 * or an over-long index row (54000): the request carried a value the database cannot store, so
 * it is the client's input, not a server fault. Returns the SQLSTATE, or null.
 */
export function dataExceptionCode(err: unknown): string | null {
  for (const e of causes(err)) {
    const code = e.code;
    if (typeof code === "string" && /^(22[0-9A-Z]{3}|54000)$/.test(code)) return code;
  }
  return null;
}

// PostgreSQL quotes the offending value in some messages (`invalid input syntax for type
// integer: "<the user's text>"`): a quoted string after a colon, or longer than any identifier
// (63 bytes), is a value and is replaced; relation, column and constraint names stay readable.
function redactValues(message: string): string {
  // Greedy to the last quote: the value itself may hold quotes, which PostgreSQL does not escape.
  return message.replace(/: "[\s\S]*"/, ': "…"').replace(/"[^"]{64,}"/g, '"…"');
}

/** What may be logged about a database error: codes and the driver's message, never the SQL's parameters. */
export function describeDbError(err: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of causes(err)) {
    if (typeof e.code === "string" && out.code === undefined) out.code = e.code;
    // Drizzle's wrapper message is "Failed query: <sql> params: <values>": skip it.
    if (typeof e.message === "string" && !e.message.startsWith("Failed query") && out.message === undefined) {
      out.message = redactValues(e.message);
    }
  }
  return out;
}

/**
 * What may be logged about any error: its code, its message with values redacted, and the stack's
 * frames without the message line (a drizzle error's message holds the failed SQL's parameters).
 */
export function errorForLog(err: unknown): Record<string, unknown> {
  if (!err || typeof err !== "object") return { message: redactValues(String(err)) };
  const frames = typeof (err as Error).stack === "string" ? (err as Error).stack!.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 6) : [];
  return { ...describeDbError(err), ...(frames.length ? { stack: frames.join("\n") } : {}) };
}
