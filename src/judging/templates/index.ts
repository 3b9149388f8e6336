import type { ParsedVerdict } from "../parse";
import { parsePlanExecute, PLAN_BLOCKS, PLAN_EXECUTE_PROMPT } from "./plan-execute";
import { parseStandard, STANDARD_PROMPT } from "./standard";

/**
 * Judge templates: how a version asks for a judgment and how its outputs are read. A version
 * names one (`template`); its `prompt_template` text may be customised, but the output format,
 * and therefore the parser, is the template's.
 */
export const TEMPLATE_NAMES = ["standard", "plan-execute"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

interface TemplateDef {
  /** The built-in prompt ({{system}} / {{user}} sections). */
  prompt: string;
  parse(text: string): ParsedVerdict;
  /** Strings a custom prompt of this template must contain (it must ask for the format that is parsed). */
  required: readonly string[];
}

const TEMPLATES: Record<TemplateName, TemplateDef> = {
  standard: { prompt: STANDARD_PROMPT, parse: parseStandard, required: [] },
  "plan-execute": {
    prompt: PLAN_EXECUTE_PROMPT,
    parse: (t) => {
      const { parts: _parts, ...v } = parsePlanExecute(t);
      return v as ParsedVerdict;
    },
    required: PLAN_BLOCKS.flatMap((b) => [b.start, b.end]),
  },
};

export function isTemplateName(x: unknown): x is TemplateName {
  return typeof x === "string" && (TEMPLATE_NAMES as readonly string[]).includes(x);
}

export function templatePrompt(name: TemplateName): string {
  return TEMPLATES[name].prompt;
}

/** Reads one judge output with the template's strict parser. */
export function parseJudgment(name: TemplateName | null | undefined, text: string): ParsedVerdict {
  return TEMPLATES[name ?? "standard"].parse(text);
}

export function templateRequirements(name: TemplateName): readonly string[] {
  return TEMPLATES[name].required;
}

export { formatJudgeTemplate, parseJudgeTemplate, type JudgeTemplate } from "./sections";
export { PLAN_EXECUTE_PROMPT, parsePlanExecute, type ParsedPlanExecute, type PlanExecuteParts } from "./plan-execute";
export { STANDARD_PROMPT } from "./standard";
