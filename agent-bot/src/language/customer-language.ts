import { detectAll } from 'tinyld';

/**
 * The language the customer writes in, for every message the bot words itself (handoff,
 * fallbacks, outage, the request to type). Detected by tinyld over their recent messages,
 * restricted to the languages the bot has wording for; the assistant's language when the text
 * gives no clear clue ("ok", "07911 123456", a voice note alone).
 */
export const WORDED_LANGUAGES = ['en', 'pt', 'es', 'de', 'fr', 'it', 'nl'] as const;
export type WordedLanguage = (typeof WORDED_LANGUAGES)[number];

/** Below this tinyld accuracy the text is too short or mixed to say. */
const MIN_ACCURACY = 0.1;
/** Letters needed before a message counts as evidence ("ok", "👍", "Oi" do not). */
const MIN_LETTERS = 4;

export function primaryLanguage(tag: string): string {
  return tag.split(/[-_]/)[0]!.toLowerCase();
}

/** The assistant's language reduced to one the bot has wording for (English otherwise). */
export function wordedLanguage(tag: string): WordedLanguage {
  const primary = primaryLanguage(tag);
  return (WORDED_LANGUAGES as readonly string[]).includes(primary) ? (primary as WordedLanguage) : 'en';
}

/**
 * `texts`: the customer's messages, oldest first. The newest message that says something
 * decides (a customer may switch language); older ones are read together only when no single
 * message is clear. Returns a primary subtag (en, pt, ...).
 */
export function detectCustomerLanguage(texts: readonly string[], assistantLanguage: string): WordedLanguage {
  const fallback = wordedLanguage(assistantLanguage);
  for (const text of [...texts].reverse()) {
    const detected = detectClear(text);
    if (detected) return detected;
  }
  return detectClear(texts.join('\n')) ?? fallback;
}

/** The language of one text when tinyld is clear about it, else null. */
export function detectClearLanguage(text: string): WordedLanguage | null {
  return detectClear(text);
}

function detectClear(text: string): WordedLanguage | null {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length < MIN_LETTERS) return null;
  const [best] = detectAll(text, { only: [...WORDED_LANGUAGES] });
  if (!best || best.accuracy < MIN_ACCURACY) return null;
  return best.lang as WordedLanguage;
}

/**
 * A BCP 47 tag for formatting in the customer's language: the assistant's own tag when the
 * customer writes its language (keeps pt-BR, de-AT), else the bare detected language.
 */
export function customerLocale(language: WordedLanguage, assistantLanguage: string): string {
  return primaryLanguage(assistantLanguage) === language ? assistantLanguage : language;
}
