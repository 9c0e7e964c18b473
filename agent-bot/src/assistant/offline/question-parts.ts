/**
 * A customer message split into the questions it asks, so each part is searched and answered
 * on its own: "Also do you sell e-bike batteries? for a Bosch motor and can you collect my
 * bike?" → "do you sell e-bike batteries for a Bosch motor" and "can you collect my bike".
 * A fragment that asks nothing itself ("for a Bosch motor") belongs to the question before it.
 */
const QUESTION_START =
  /^(?:can|could|do|does|did|is|are|was|were|will|would|how|what|what's|whats|when|where|where's|which|who|why|should|may|have|has|any|i'd|i need|i want|i would|is there|are there)\b/i;
const JOINER = /\s*(?:,\s*)?\b(?:and also|and|also|plus|but)\s+(?=\S)/i;
const LEADING_FILLER = /^(?:and also|also|and|plus|but|so|oh|ok|okay|hi|hello|hey|thanks|please)\b[\s,]*/i;
const MAX_PARTS = 4;

export function questionParts(message: string): string[] {
  const text = message.replace(/\s+/g, ' ').trim();
  if (!text) return [];
  const pieces: string[] = [];
  for (const sentence of text.split(/(?<=[?!.])\s+|\?+/)) {
    const trimmed = sentence.replace(/[?!.]+$/, '').trim();
    if (!trimmed) continue;
    pieces.push(...splitOnJoiners(trimmed));
  }
  const parts: string[] = [];
  for (const piece of pieces) {
    const clean = stripFiller(piece);
    if (!clean) continue;
    if (parts.length > 0 && !QUESTION_START.test(clean) && wordCount(clean) <= 5)
      parts[parts.length - 1] = `${parts[parts.length - 1]} ${clean}`;
    else parts.push(clean);
  }
  if (parts.length <= MAX_PARTS) return parts;
  // A long message: the first questions on their own, the rest together.
  return [...parts.slice(0, MAX_PARTS - 1), parts.slice(MAX_PARTS - 1).join(' ')];
}

/** "X and can you Y" splits; "gears and brakes" does not (no question starts after the joiner). */
function splitOnJoiners(sentence: string): string[] {
  const out: string[] = [];
  let rest = sentence;
  for (;;) {
    const match = findJoinerBeforeQuestion(rest);
    if (!match) break;
    out.push(rest.slice(0, match.index).trim());
    rest = rest.slice(match.end).trim();
  }
  out.push(rest);
  return out.filter(Boolean);
}

function findJoinerBeforeQuestion(text: string): { index: number; end: number } | null {
  const pattern = new RegExp(JOINER.source, 'gi');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index === 0) continue;
    const after = text.slice(m.index + m[0].length);
    if (QUESTION_START.test(after)) return { index: m.index, end: m.index + m[0].length };
  }
  // "What are your prices, do you deliver": a comma before a new question.
  const comma = /,\s+(?=\S)/g;
  for (let m = comma.exec(text); m; m = comma.exec(text)) {
    const after = text.slice(m.index + m[0].length);
    if (QUESTION_START.test(after) && wordCount(text.slice(0, m.index)) >= 3)
      return { index: m.index, end: m.index + m[0].length };
  }
  return null;
}

function stripFiller(piece: string): string {
  let text = piece.trim();
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(LEADING_FILLER, '').trim();
  }
  return text.replace(/^[,;:\s]+|[,;:\s]+$/g, '');
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
