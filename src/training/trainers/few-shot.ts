import { examplesWithPairs, sftExampleLabels } from "../../db/queries/training";
import type { FewShotExample } from "../../db/schema";
import { pickDemonstrations } from "../selection";
import { ensureCandidate } from "./candidate";
import type { Trainer } from "./types";

/**
 * Prompt-only training: the candidate is the base model with k verified judgments shown as worked
 * examples. Works with any provider, which matters as hosted fine-tuning APIs come and go.
 */
export function createFewShotTrainer(): Trainer {
  return {
    async train(ctx) {
      const db = ctx.deps.db;
      // Only ids, labels and categories of every kept example are held; texts only for the k picked.
      const pool = await sftExampleLabels(db, ctx.runId, ctx.iteration);
      if (pool.length === 0) throw new Error(`iteration ${ctx.iteration} has no verified judgments to show`);
      const picked = pickDemonstrations(pool, ctx.params.few_shot_k, `${ctx.params.seed}:${ctx.iteration}:few-shot`);
      const demos = new Map<string, FewShotExample>();
      for (const e of await examplesWithPairs(db, picked.map((p) => p.exampleId))) {
        // The demonstration shows the answers in the order the kept judgment saw them.
        const [a, b] = e.order === "ab" ? [e.chosen, e.rejected] : [e.rejected, e.chosen];
        demos.set(e.id, { instruction: e.instruction, response_a: a, response_b: b, judgment: e.chosenJudgment });
      }
      const fewShot = picked.map((p) => demos.get(p.exampleId)!).filter(Boolean);
      const version = await ensureCandidate(ctx, {
        model: ctx.baseVersion.model,
        fewShot,
        notes: `few-shot candidate of training run ${ctx.runId}, iteration ${ctx.iteration} (${fewShot.length} demonstrations)`,
      });
      return {
        kind: "candidate",
        versionId: version.id,
        details: {
          demonstrations: fewShot.length,
          labels: { A: picked.filter((p) => p.label === "A").length, B: picked.filter((p) => p.label === "B").length },
          categories: [...new Set(picked.map((p) => p.category ?? "other"))],
        },
      };
    },
  };
}
