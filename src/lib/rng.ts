/**
 * Deterministic randomness. Every random choice of a run is derived from (run seed, item id, …),
 * never from call order, so a resumed run makes exactly the choices the first attempt made.
 */

/** 32-bit string hash (FNV-1a followed by a murmur3 finaliser for better avalanche). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) fixed by its key parts. */
export function unitFor(...parts: Array<string | number>): number {
  return hash32(parts.join("\u0000")) / 4294967296;
}

/** Mulberry32: small and fast; good enough for sampling choices. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFor(...parts: Array<string | number>): () => number {
  return mulberry32(hash32(parts.join("\u0000")));
}

/** The fraction in [0, 1) encoded by the first 32 bits of a hex digest (e.g. traffic.hash). */
export function hexFraction(hex: string): number {
  const n = Number.parseInt(hex.slice(0, 8), 16);
  return Number.isFinite(n) ? n / 4294967296 : 0;
}

export function pickOne<T>(items: readonly T[], rand: () => number): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.floor(rand() * items.length)];
}
