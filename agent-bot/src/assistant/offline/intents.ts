/**
 * Rule-based intents for the offline assistant (and a safety net before any model): a few
 * phrases per language, matched on normalised text (lower case, no accents or punctuation).
 */
export type Intent = 'human' | 'greeting' | 'thanks';
export type IntentLanguage = 'en' | 'es' | 'pt' | 'de' | 'fr';

const HUMAN: Record<IntentLanguage, string[]> = {
  en: [
    'human',
    'a person',
    'real person',
    'someone real',
    'an agent',
    'talk to someone',
    'speak to someone',
    'representative',
    'operator',
    'customer service',
    'live agent',
    'talk to a person',
    'speak to a person',
  ],
  es: [
    'humano',
    'una persona',
    'persona real',
    'un agente',
    'hablar con alguien',
    'asesor',
    'operador',
    'atencion al cliente',
    'hablar con una persona',
  ],
  pt: [
    'humano',
    'uma pessoa',
    'pessoa real',
    'atendente',
    'falar com alguem',
    'falar com uma pessoa',
    'operador',
    'um agente',
  ],
  de: [
    'mensch',
    'menschen',
    'echte person',
    'mitarbeiter',
    'mitarbeiterin',
    'berater',
    'jemanden sprechen',
    'kundendienst',
    'kundenservice',
  ],
  fr: [
    'humain',
    'une personne',
    'vraie personne',
    'conseiller',
    'conseillere',
    'un agent',
    'parler a quelqu un',
    'service client',
    'operateur',
  ],
};

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
 * `human` matches anywhere in the message ("can I talk to a human about my order?"), as do
 * the operator's own keywords; `greeting`/`thanks` only when that is all the message says, so
 * "hi, when do you open?" is answered as a question.
 */
export function detectIntent(text: string, extraHandoffKeywords: readonly string[] = []): IntentMatch | null {
  const normal = normalise(text);
  if (!normal) return null;
  const padded = ` ${normal} `;
  for (const keyword of extraHandoffKeywords) {
    const k = normalise(keyword);
    if (k && padded.includes(` ${k} `)) return { intent: 'human', language: null };
  }
  const human = findPhrase(padded, HUMAN);
  if (human) return { intent: 'human', language: human };
  for (const [intent, table] of [
    ['thanks', THANKS],
    ['greeting', GREETING],
  ] as const) {
    const language = onlyPhrases(normal, table);
    if (language) return { intent, language };
  }
  return null;
}

function findPhrase(padded: string, table: Record<IntentLanguage, string[]>): IntentLanguage | null {
  for (const [language, phrases] of Object.entries(table) as Array<[IntentLanguage, string[]]>) {
    if (phrases.some((phrase) => padded.includes(` ${phrase} `))) return language;
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
