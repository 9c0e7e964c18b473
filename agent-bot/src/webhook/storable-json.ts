/**
 * What a delivery's JSON must be before anything walks it or PostgreSQL stores it.
 *
 * Depth: checked on the text, before parsing, with a loop rather than recursion, because every
 * later step (zod, JSON.stringify, PostgreSQL's jsonb parser) recurses per level and a body nested
 * 10k deep overflows their stacks. Chatwoot's deepest payload key is a handful of levels down.
 *
 * Text: PostgreSQL refuses NUL in text and jsonb (22021, 22P05) and lone surrogates in jsonb
 * (22P05), so they are removed and replaced (U+FFFD) in every string and every key: a customer's
 * message with a stray NUL is still stored and answered.
 */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of objects and arrays in a JSON text (strings skipped, escapes honoured). */
export function jsonNestingDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c /* \ */) i++;
      else if (code === 0x22 /* " */) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) depth--;
  }
  return deepest;
}

const LONE_SURROGATE_SOURCE =
  '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE_SOURCE);
const LONE_SURROGATES = new RegExp(LONE_SURROGATE_SOURCE, 'g');

/** A string PostgreSQL stores as given: NUL removed, lone surrogates replaced with U+FFFD. */
export function storableText(text: string): string {
  // Most strings are clean: skip the copies.
  if (!text.includes('\u0000') && !HAS_LONE_SURROGATE.test(text)) return text;
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD');
}

/**
 * A parsed JSON value with every string and key made storable. Recursive: only called on values
 * whose text passed the depth check, so the recursion is at most MAX_JSON_DEPTH deep.
 */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(storableJson);
  // fromEntries defines own properties: a "__proto__" key stays a key, never a prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)]),
  );
}
