import { canonicalJson, sha256Hex } from "../lib/hash";
import type { Dialogue } from "./dialogue";
import type { EffectiveParams } from "./resolve";

export type CacheKeyInput = EffectiveParams & {
  evaluatorId: string;
  versionId: string;
  instruction: string;
  response_a: string;
  response_b: string;
  /** A multi-turn request's conversation(s); null or absent for a single-turn one. */
  dialogue?: Dialogue | null;
  reference: string | null;
};

/**
 * Identity of a judge request: everything that can change the verdict, nothing that cannot
 * (metadata, the caller's key). Bump `v` if the meaning of any field changes, so old rows stop
 * matching instead of answering a different question.
 */
export function requestHash(k: CacheKeyInput): Promise<string> {
  return sha256Hex(
    canonicalJson({
      v: 1,
      evaluator_id: k.evaluatorId,
      version_id: k.versionId,
      instruction: k.instruction,
      response_a: k.response_a,
      response_b: k.response_b,
      // Only a multi-turn request carries the key, so single-turn hashes (and their cache) are unchanged.
      ...(k.dialogue ? { dialogue: k.dialogue } : {}),
      reference: k.reference,
      samples: k.samples,
      swap: k.swap,
      temperature: k.temperature,
    }),
  );
}
