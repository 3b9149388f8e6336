/**
 * The error every client call throws for a non-2xx answer: the server's problem+json body
 * (RFC 9457) as typed fields. Pure: no I/O.
 */
export class SelfjudgeError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The problem `type` URI, e.g. https://selfjudge.dev/problems/validation_failed */
  readonly type: string;
  /** The whole problem body (field errors, judgment_id, request_id, ...). */
  readonly body: Record<string, unknown>;
  /** Retry-After of the last answer, in ms, when the server sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(p: { status: number; title: string; detail: string; type?: string; body?: Record<string, unknown>; retryAfterMs?: number }) {
    super(`${p.status} ${p.title}: ${p.detail}`);
    this.name = "SelfjudgeError";
    this.status = p.status;
    this.title = p.title;
    this.detail = p.detail;
    this.type = p.type ?? "about:blank";
    this.body = p.body ?? {};
    this.retryAfterMs = p.retryAfterMs;
  }
}

/** The server could not be reached at all (refused, DNS, reset) after the client's retries. */
export class SelfjudgeConnectionError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`cannot reach selfjudge at ${url}: ${describeCause(cause)}`);
    this.name = "SelfjudgeConnectionError";
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    if (inner instanceof Error && inner.message) return `${cause.message} (${inner.message})`;
    return cause.message;
  }
  return String(cause);
}

/** Retry-After as ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads a non-2xx response into a SelfjudgeError (problem+json or anything else a proxy sends). */
export async function errorFromResponse(res: Response): Promise<SelfjudgeError> {
  const text = await res.text().catch(() => "");
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (an HTML page from a proxy): keep a readable slice of it as the detail.
  }
  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);
  return new SelfjudgeError({
    status: res.status,
    title: str(body.title) ?? (res.statusText || `HTTP ${res.status}`),
    detail: str(body.detail) ?? (text.slice(0, 300).trim() || "no detail"),
    type: str(body.type),
    body,
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
  });
}
