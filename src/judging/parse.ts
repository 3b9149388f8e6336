/**
 * Verdict parsing. The judge is asked to end with [[A]], [[B]] or [[C]] (tie), but real outputs
 * also *mention* markers while restating the format ("answer [[A]] if A is better, [[B]] if …,
 * [[C]] for a tie"), so "first marker wins" misreads them. The rule:
 *
 * 1. A marker is `[[` X `]]` with X in A/B/C, case-insensitive, spaces allowed inside
 *    (`[[ a ]]` counts). Nothing else counts: not `[A]`, not `[[Tie]]`, not fullwidth brackets
 *    (the prompt renderer turns markers inside user content into those).
 * 2. A marker is a *format mention* when it is directly followed (after quotes, brackets or
 *    emphasis) by a condition: "if", "when", "means", "indicates", "denotes", "stands for",
 *    "represents", "signifies", "=", "for A" / "for Assistant B".
 * 3. Markers chained by a list connector form a group: the gap between them is only punctuation,
 *    "or", "and" or "/", or the previous marker is a format mention and the gap reaches the next
 *    marker without a sentence break and ends in a connector (", and "). A group is a
 *    restatement, and all of it is discounted, when it holds a format mention or two different
 *    letters. That is how "[[C]] for a tie" is discounted inside a restatement yet genuine on its own.
 * 4. The remaining markers are genuine. None → invalid. Different letters → invalid (ambiguous:
 *    we never pick one). Otherwise that letter, C meaning tie.
 *
 * `$ERROR$` (FastChat's failed-call placeholder) and empty text are invalid.
 */
export type ParsedVerdict = { vote: "A" | "B" | "tie" } | { vote: "invalid"; reason: string };

interface Marker {
  letter: "A" | "B" | "C";
  start: number;
  end: number;
  mention: boolean;
}

const MARKER = /\[\[\s*([abc])\s*\]\]/gi;
const LEAD = `^[\\s"'\`*_()\\u2018\\u2019\\u201c\\u201d]*`;
const CONDITION = new RegExp(
  `${LEAD}(?:(?:if|when|whenever|means|meaning|indicates?|denotes?|stands\\s+for|represents?|signif(?:y|ies))\\b|=)`,
  "i",
);
// Case-sensitive on purpose: "[[C]] for a tie" is a genuine verdict, "[[A]] for A" is a mention.
const FOR_ASSISTANT = new RegExp(`${LEAD}for\\s+(?:[Aa]ssistant\\s+)?[AB]\\b`);
const PURE_CONNECTOR = /^[\s"'`*_()\u2018\u2019\u201c\u201d,;:/|-]*(?:\b(?:or|and|and\/or)\b)?[\s"'`*_()\u2018\u2019\u201c\u201d,;:/|-]*$/i;
const ENDS_WITH_CONNECTOR = /(?:,|;|\/|\bor|\band)[\s"'`*_(\u2018\u201c]*$/i;
const SENTENCE_BREAK = /[.!?](?:\s|$)|\n/;
const MAX_CLAUSE = 120;

export function parseVerdict(text: string): ParsedVerdict {
  const trimmed = text.trim();
  if (trimmed === "") return { vote: "invalid", reason: "empty judgment" };
  if (trimmed === "$ERROR$") return { vote: "invalid", reason: "judge call failed ($ERROR$)" };

  const markers = findMarkers(text);
  if (markers.length === 0) return { vote: "invalid", reason: "no verdict marker ([[A]], [[B]] or [[C]])" };

  const genuine = discountRestatements(text, markers);
  if (genuine.length === 0) {
    return { vote: "invalid", reason: "markers appear only in a restatement of the answer format" };
  }
  const letters = new Set(genuine.map((m) => m.letter));
  if (letters.size > 1) {
    return { vote: "invalid", reason: `conflicting verdict markers: ${[...letters].map((l) => `[[${l}]]`).join(", ")}` };
  }
  const letter = genuine[0]!.letter;
  return { vote: letter === "C" ? "tie" : letter };
}

function findMarkers(text: string): Marker[] {
  const out: Marker[] = [];
  for (const m of text.matchAll(MARKER)) {
    const start = m.index;
    const end = start + m[0].length;
    out.push({
      letter: m[1]!.toUpperCase() as Marker["letter"],
      start,
      end,
      mention: isMention(text.slice(end, end + 40)),
    });
  }
  return out;
}

function isMention(after: string): boolean {
  return CONDITION.test(after) || FOR_ASSISTANT.test(after);
}

function discountRestatements(text: string, markers: Marker[]): Marker[] {
  const groups: Marker[][] = [];
  for (const m of markers) {
    const group = groups.at(-1);
    const prev = group?.at(-1);
    if (group && prev && chained(text.slice(prev.end, m.start), prev)) group.push(m);
    else groups.push([m]);
  }
  return groups.flatMap((g) => {
    const restatement = g.some((m) => m.mention) || new Set(g.map((m) => m.letter)).size > 1;
    return restatement ? [] : g;
  });
}

function chained(gap: string, prev: Marker): boolean {
  if (PURE_CONNECTOR.test(gap)) return true;
  return (
    prev.mention && gap.length <= MAX_CLAUSE && !SENTENCE_BREAK.test(gap) && ENDS_WITH_CONNECTOR.test(gap)
  );
}
