import type { ChatMessage } from "../llm/types";

/** The instruction categories of the Self-Taught Evaluator paper, with stable slugs. */
export const CATEGORIES = [
  { slug: "coding", label: "Coding" },
  { slug: "math_reasoning", label: "Mathematical reasoning" },
  { slug: "knowledge_reasoning", label: "Knowledge and reasoning" },
  { slug: "advice", label: "Asking for advice" },
  { slug: "brainstorming", label: "Brainstorming" },
  { slug: "classification", label: "Classification" },
  { slug: "closed_qa", label: "Closed QA" },
  { slug: "open_qa", label: "Open QA" },
  { slug: "creative_writing", label: "Creative writing" },
  { slug: "extraction", label: "Extraction" },
  { slug: "persona", label: "Persona" },
  { slug: "rewriting", label: "Rewriting" },
  { slug: "summarization", label: "Summarization" },
  { slug: "humanities", label: "Humanities, history or social studies" },
  { slug: "other", label: "Other" },
] as const;

export type Category = (typeof CATEGORIES)[number]["slug"];
export const CATEGORY_SLUGS = CATEGORIES.map((c) => c.slug) as [Category, ...Category[]];

/**
 * The paper found reasoning-heavy prompts teach the judge most (RewardBench 83.5 vs ~79 for the
 * alternatives), so by default they are drawn three times as often as the rest.
 */
export const REASONING_CATEGORIES: readonly Category[] = ["coding", "math_reasoning", "knowledge_reasoning"];
export const DEFAULT_CATEGORY_WEIGHTS: Readonly<Record<Category, number>> = Object.freeze(
  Object.fromEntries(CATEGORY_SLUGS.map((s) => [s, REASONING_CATEGORIES.includes(s) ? 3 : 1])) as Record<Category, number>,
);

export const CLASSIFIER_MARK = "Classify the user instruction below";

export function classifierMessages(instruction: string): ChatMessage[] {
  const list = CATEGORIES.map((c) => `- ${c.label}`).join("\n");
  return [
    {
      role: "user",
      content: `${CLASSIFIER_MARK} into exactly one of these categories:
${list}

Answer with the category name only, nothing else.

<instruction>
${instruction.replaceAll("</instruction>", "</ instruction>")}
</instruction>`,
    },
  ];
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z]+/g, " ").trim();
const BY_NAME = new Map<string, Category>(
  CATEGORIES.flatMap((c) => [
    [norm(c.label), c.slug] as [string, Category],
    [norm(c.slug), c.slug] as [string, Category],
  ]),
);

/** The category a classifier answer names; anything unrecognisable is "other". */
export function parseCategory(text: string): Category {
  const line = norm(text.split("\n").find((l) => l.trim() !== "") ?? "");
  const exact = BY_NAME.get(line);
  if (exact) return exact;
  // Models often wrap the name ("Category: Coding."); the longest label contained wins.
  let best: { slug: Category; len: number } | null = null;
  for (const [name, slug] of BY_NAME) {
    if (name && line.includes(name) && (!best || name.length > best.len)) best = { slug, len: name.length };
  }
  return best?.slug ?? "other";
}
