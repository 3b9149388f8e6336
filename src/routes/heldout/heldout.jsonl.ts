import type { z } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { HELDOUT_MAX_ITEMS, HeldoutItemInputSchema } from "./heldout.schemas";

export const JSONL_MEDIA_TYPES = ["application/x-ndjson", "application/jsonl", "application/x-jsonlines"] as const;

export function isJsonl(contentType: string | undefined): boolean {
  const essence = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return (JSONL_MEDIA_TYPES as readonly string[]).includes(essence);
}

type Item = z.infer<typeof HeldoutItemInputSchema>;
type LineError = { path: string; message: string };

/**
 * One held-out item per line; blank lines are ignored. Every line is checked before anything is
 * stored: any bad line fails the whole upload (422) with each problem's line number, so an upload
 * is all or nothing.
 */
export function parseHeldoutJsonl(text: string): Item[] {
  const items: Item[] = [];
  const errors: LineError[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push({ path: where, message: "not valid JSON" });
      return;
    }
    const parsed = HeldoutItemInputSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join(".");
        errors.push({ path: field ? `${where}.${field}` : where, message: issue.message });
      }
      return;
    }
    items.push(parsed.data);
  });
  if (errors.length > 0) {
    const lineCount = new Set(errors.map((e) => e.path.split(".")[0])).size;
    throw new ApiError("validation_failed", `${lineCount} line(s) are invalid, nothing was imported; first: ${errors[0]!.path}: ${errors[0]!.message}`, {
      errors: errors.slice(0, 200),
    });
  }
  if (items.length === 0) {
    throw new ApiError("validation_failed", "the upload holds no item", { errors: [{ path: "body", message: "no item" }] });
  }
  if (items.length > HELDOUT_MAX_ITEMS) {
    throw new ApiError("validation_failed", `at most ${HELDOUT_MAX_ITEMS} items per call, got ${items.length}`, {
      errors: [{ path: "body", message: `more than ${HELDOUT_MAX_ITEMS} lines` }],
    });
  }
  return items;
}
