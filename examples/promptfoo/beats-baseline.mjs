// A promptfoo JavaScript assertion built on selfjudge's typed client: asks POST /v1/judge whether
// the output (B) beats the test's `baseline` (A) for its `question`, both answer orders judged.
// Reads SELFJUDGE_URL and SELFJUDGE_API_KEY; retries 429/503 as the server's Retry-After says.
import { createClient, SelfjudgeError } from "selfjudge/client";

const client = createClient();

export default async function beatsBaseline(output, context) {
  const { question, baseline } = context.vars;
  try {
    const r = await client.judge({ instruction: question, response_a: baseline, response_b: output, metadata: { source: "promptfoo" } });
    return {
      pass: r.verdict === "B",
      score: r.verdict === "B" ? 1 : r.verdict === "tie" ? 0.5 : 0,
      reason: `selfjudge ${r.version.name}: verdict ${r.verdict} (confidence ${r.confidence}, judgment ${r.id}) ${r.reasoning ?? ""}`.trim(),
    };
  } catch (err) {
    // A judge that cannot answer is a failed check, never a silent pass.
    if (err instanceof SelfjudgeError) return { pass: false, score: 0, reason: `selfjudge error ${err.status} ${err.title}: ${err.detail}` };
    throw err;
  }
}
