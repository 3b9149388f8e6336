// Pure checks for strings PostgreSQL cannot store: NUL characters and lone UTF-16 surrogates.

// Without the u flag a regex sees UTF-16 code units: a high surrogate not followed by a low one,
// or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `s` has a NUL character or a lone surrogate. */
export function hasBadChars(s: string): boolean {
  return s.includes("\u0000") || LONE_SURROGATE.test(s);
}

export type BadString = { path: string; message: string };

/** The problem with one string at `path`, or null when it can be stored. */
export function textProblem(path: string, s: string): BadString | null {
  if (s.includes("\u0000")) return { path, message: "contains a NUL character (\\u0000), which cannot be stored" };
  if (LONE_SURROGATE.test(s)) return { path, message: "contains a lone UTF-16 surrogate, which is not valid Unicode" };
  return null;
}

/** Every bad string (object keys included) in a parsed JSON value, with its path; at most 20. */
export function findBadString(value: unknown, path: string, out: BadString[] = []): BadString[] {
  if (out.length >= 20) return out;
  if (typeof value === "string") {
    const p = textProblem(path, value);
    if (p) out.push(p);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findBadString(v, `${path}.${i}`, out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(`${path}.${printable(k)}`, k);
      if (keyProblem) out.push({ ...keyProblem, message: `key ${keyProblem.message}` });
      findBadString(v, `${path}.${printable(k)}`, out);
    }
  }
  return out;
}

function printable(k: string): string {
  return k.replace(/\u0000/g, "\\u0000").replace(/[\ud800-\udfff]/g, "\\ufffd");
}
