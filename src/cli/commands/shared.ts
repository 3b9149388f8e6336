/** Option and output helpers the command groups share (pure, or throwing CliError). */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { CliError } from "../io";

export function mustExist(path: string): void {
  if (!existsSync(path)) throw new CliError(`no such file: ${path}`);
}

export const evaluatorQuery = (evaluator: string | undefined) => (evaluator ? { evaluator } : {});

/** `--limit` and `--cursor` on a list command. */
export function pageOptions(cmd: Command): Command {
  return cmd.option("-n, --limit <n>", "items per page").option("--cursor <cursor>", "the next page (printed after a full page)");
}

export function pageQuery(o: { limit?: string; cursor?: string }): { limit?: string; cursor?: string } {
  if (o.limit !== undefined && !/^\d+$/.test(o.limit)) throw new CliError(`--limit must be a positive integer (got "${o.limit}")`);
  return { ...(o.limit !== undefined ? { limit: o.limit } : {}), ...(o.cursor ? { cursor: o.cursor } : {}) };
}

export function pageFooter(next: string | null, extra?: string): string {
  const parts = [extra, next ? `next page: --cursor ${next}` : undefined].filter(Boolean);
  return parts.length ? `${parts.join("; ")}\n` : "";
}

/** One line of at most `n` characters. */
export function preview(text: string, n = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

/** A number flag: an integer within [min, max]. */
export const intArg =
  (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${name} must be an integer from ${min} to ${max} (got "${v}")`);
    return n;
  };

export const numArg =
  (name: string, min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new CliError(`${name} must be a number from ${min} to ${max} (got "${v}")`);
    return n;
  };

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "-" : `${(x * 100).toFixed(1)}%`);
