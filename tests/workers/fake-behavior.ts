import { byModelJudge } from "../evaluation/helpers";
import type { Behavior } from "../fake-llm/server";
import { MARKER, trainingFake, type TrainingFakeOptions } from "../fake-llm/training";

/**
 * One fake LLM for a whole deployment's walk-through: held-out pairs marked GOOD are judged by
 * the by-model judges (deterministic: "oracle" always right, the seed ~60%), everything the
 * training loop sends (classification, synthesis, annotation, its held-out pairs) by the
 * training fake (a trained judge beats the seed, so the gate promotes it).
 */
export function deploymentBehavior(o: TrainingFakeOptions = {}): Behavior {
  const training = trainingFake(o);
  return (req, ctx) => {
    const text = JSON.stringify(req.messages);
    return text.includes("GOOD") && !text.includes(MARKER) ? byModelJudge(req, ctx) : training.behavior(req, ctx);
  };
}
