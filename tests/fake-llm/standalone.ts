import { startFakeLlm, type Behavior } from "./server";
import { installFineTuning } from "./finetune";
import { judgment, oracleLetter } from "./judges";
import { isTrainedJudge, MARKER, trainingFake } from "./training";

/**
 * The fake OpenAI-compatible server as a process, for walking through README.md by hand with no
 * real LLM: `npx tsx tests/fake-llm/standalone.ts [port]` (default 8791), then start the service
 * with OPENAI_BASE_URL=http://127.0.0.1:8791/v1. Not product code.
 *
 * Answers marked with "[ok]" (the training fake's generator marker) are judged by the training
 * fake: the seed judge picks the marked one 65% of the time per sample, a trained judge (few-shot,
 * ft:…, …external) or model "gpt-4o" 95%, so a held-out set labelled by the marker lets the gate
 * tell judges apart. Other pairs go to the oracle (the answer containing "GOOD" wins, else a tie).
 * Classification, pair synthesis and the fine-tuning API work as in the training tests.
 */

const port = Number(process.argv[2] ?? process.env.FAKE_LLM_PORT ?? 8791);
const training = trainingFake({
  accuracy: (req) => (isTrainedJudge(req) || req.model === "gpt-4o" ? 0.95 : 0.65),
});

const behavior: Behavior = (req, ctx) => {
  const text = JSON.stringify(req.messages);
  if (!text.includes(MARKER) && text.includes("GOOD")) {
    return Array.from({ length: ctx.choices }, () => judgment(oracleLetter(req)));
  }
  return training.behavior(req, ctx);
};

const fake = await startFakeLlm({ behavior, port });
installFineTuning(fake);
process.stdout.write(`fake OpenAI-compatible server on ${fake.url}\n`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
