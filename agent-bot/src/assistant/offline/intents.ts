/**
 * Rule-based intents for the offline assistant (and a safety net before any model): a few
 * phrases per language, matched on normalised text (lower case, no accents or punctuation).
 */
import { detectHumanRequest } from '../../policies/human-request.js';

export type Intent = 'human' | 'greeting' | 'thanks';
export type IntentLanguage = 'en' | 'es' | 'pt' | 'de' | 'fr';

const GREETING: Record<IntentLanguage, string[]> = {
  en: [
    'hi',
    'hello',
    'hey',
    'hiya',
    'good morning',
    'good afternoon',
    'good evening',
    'hi there',
    'hello there',
  ],
  es: ['hola', 'buenas', 'buenos dias', 'buenas tardes', 'buenas noches', 'que tal'],
  pt: ['ola', 'oi', 'bom dia', 'boa tarde', 'boa noite', 'tudo bem'],
  de: ['hallo', 'guten tag', 'guten morgen', 'guten abend', 'moin', 'servus', 'gruss gott', 'gruezi'],
  fr: ['bonjour', 'salut', 'bonsoir', 'coucou', 'allo'],
};

const THANKS: Record<IntentLanguage, string[]> = {
  en: ['thanks', 'thank you', 'thx', 'ty', 'cheers', 'thanks a lot', 'many thanks'],
  es: ['gracias', 'muchas gracias', 'mil gracias'],
  pt: ['obrigado', 'obrigada', 'valeu', 'muito obrigado', 'muito obrigada'],
  de: ['danke', 'vielen dank', 'danke schon', 'dankeschon', 'besten dank'],
  fr: ['merci', 'merci beaucoup', 'merci bien'],
};

/** Words that may accompany a greeting or thanks without making it a question. */
const FILLER = new Set([
  'and',
  'y',
  'e',
  'und',
  'et',
  'so',
  'very',
  'much',
  'muy',
  'muito',
  'tres',
  'sehr',
  'you',
  'all',
  'team',
  'again',
  'ok',
  'okay',
  'great',
  'perfect',
  'perfecto',
  'perfeito',
  'super',
  'genial',
  'bien',
  'good',
  'bueno',
  'bom',
  'gut',
  'top',
  'vale',
]);

export interface IntentMatch {
  intent: Intent;
  language: IntentLanguage | null;
}

export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `human` is the engine's own rule (policies/human-request.ts): phrases anywhere in the
 * message ("can I talk to a human about my order?"), single words in a short one, and
 * the operator's own keywords; `greeting`/`thanks` only when that is all the message says, so
 * "hi, when do you open?" is answered as a question.
 */
export function detectIntent(text: string, extraHandoffKeywords: readonly string[] = []): IntentMatch | null {
  const normal = normalise(text);
  if (!normal) return null;
  const human = detectHumanRequest(text, extraHandoffKeywords, true);
  if (human) {
    // An operator keyword has no language; a built-in phrase in a language without offline
    // wording (Italian) is answered in English here: the engine words the handoff itself.
    const language = human.language === null ? null : human.language === 'it' ? 'en' : human.language;
    return { intent: 'human', language };
  }
  for (const [intent, table] of [
    ['thanks', THANKS],
    ['greeting', GREETING],
  ] as const) {
    const language = onlyPhrases(normal, table);
    if (language) return { intent, language };
  }
  return null;
}

/** True when the message is made only of the table's phrases and filler words. */
function onlyPhrases(normal: string, table: Record<IntentLanguage, string[]>): IntentLanguage | null {
  for (const [language, phrases] of Object.entries(table) as Array<[IntentLanguage, string[]]>) {
    let rest = ` ${normal} `;
    let found = false;
    for (const phrase of [...phrases].sort((a, b) => b.length - a.length)) {
      if (rest.includes(` ${phrase} `)) {
        found = true;
        rest = rest.replaceAll(` ${phrase} `, ' ');
      }
    }
    if (!found) continue;
    const leftover = rest
      .trim()
      .split(' ')
      .filter((word) => word && !FILLER.has(word));
    if (leftover.length === 0) return language;
  }
  return null;
}
