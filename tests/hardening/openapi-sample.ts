// A minimal valid-looking value for a JSON Schema from the OpenAPI document (test helper): the
// fuzzer starts from it and breaks one place, so bad values reach deep into the handlers.

type Schema = Record<string, any>;

export function resolveRef(doc: any, s: Schema | undefined): Schema {
  let cur = s ?? {};
  for (let i = 0; i < 10 && typeof cur.$ref === "string"; i++) {
    cur = cur.$ref.split("/").slice(1).reduce((o: any, k: string) => o?.[k], doc) ?? {};
  }
  return cur;
}

export function sampleFor(doc: any, raw: Schema | undefined, depth = 0): unknown {
  const s = resolveRef(doc, raw);
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined) return s.default;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(s[key])) {
      const pick = s[key].map((x: Schema) => resolveRef(doc, x)).find((x: Schema) => x.type !== "null") ?? s[key][0];
      return sampleFor(doc, pick, depth + 1);
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) {
        if ((s.required ?? []).includes(k)) out[k] = sampleFor(doc, v, depth + 1);
      }
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sampleFor(doc, s.items, depth + 1));
    case "integer":
    case "number":
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case "boolean":
      return true;
    case "string":
      if (s.format === "uuid") return "00000000-0000-4000-8000-000000000000";
      if (s.format === "date-time") return "2026-01-01T00:00:00Z";
      if (s.format === "uri") return "http://127.0.0.1:9/v1";
      return "x".repeat(Math.max(1, s.minLength ?? 1));
    default:
      return {};
  }
}

/** Every path to a leaf (or container) of a JSON value, e.g. ["items", 0, "metadata"]. */
export function pathsOf(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...prefix, i])));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

export function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = path;
  copy[head as any] = setAt(copy[head as any], rest, value);
  return copy;
}
