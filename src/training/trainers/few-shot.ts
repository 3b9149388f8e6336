import { examplesPage } from "../../db/queries/training-items";
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
      const pageSize = ctx.deps.timing.pageSize;
      // Only ids, labels and categories of every kept example are held; texts only for the k picked.
      const pool: Array<{ pairId: string; label: "A" | "B"; category: string | null; exampleId: string }> = [];
      let after: string | null = null;
      for (;;) {
        const page = await examplesPage(db, ctx.runId, ctx.iteration, "sft", after, pageSize);
        for (const e of page) pool.push({ pairId: e.pairId, label: e.label, category: e.category, exampleId: e.id });
        if (page.length < pageSize) break;
        after = page.at(-1)!.id;
      }
      if (pool.length === 0) throw new Error(`iteration ${ctx.iteration} has no verified judgments to show`);
      const picked = pickDemonstrations(pool, ctx.params.few_shot_k, `${ctx.params.seed}:${ctx.iteration}:few-shot`);
      const wanted = new Set(picked.map((p) => p.exampleId));
      const demos = new Map<string, FewShotExample>();
      after = null;
      for (;;) {
        const page = await examplesPage(db, ctx.runId, ctx.iteration, "sft", after, pageSize);
        for (const e of page) {
          if (!wanted.has(e.id)) continue;
          // The demonstration shows the answers in the order the kept judgment saw them.
          const [a, b] = e.order === "ab" ? [e.chosen, e.rejected] : [e.rejected, e.chosen];
          demos.set(e.id, { instruction: e.instruction, response_a: a, response_b: b, judgment: e.chosenJudgment });
        }
        if (page.length < pageSize || demos.size === wanted.size) break;
        after = page.at(-1)!.id;
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
