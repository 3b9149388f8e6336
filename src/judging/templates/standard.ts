import { parseVerdict, type ParsedVerdict } from "../parse";
import { formatJudgeTemplate, GROUND_RULES, PAIRWISE_USER } from "./sections";

/**
 * `standard`: the Self-Taught Evaluator / MT-Bench pairwise prompt. The judge writes a short
 * comparison and ends with [[A]], [[B]] or [[C]]; the verdict is read by `parseVerdict`.
 */
export const STANDARD_PROMPT: string = formatJudgeTemplate({
  system: `${GROUND_RULES}

Start with a short comparison explaining your reasoning. Then finish with your verdict on its own final line, written exactly as one of these three markers: [[A]] when Assistant A's answer is better, [[B]] when Assistant B's answer is better, [[C]] when they are equally good. Write nothing after the marker.`,
  user: PAIRWISE_USER,
});

export function parseStandard(text: string): ParsedVerdict {
  return parseVerdict(text);
}
