/**
 * Rule-based intents for the offline assistant (and a safety net before any model): a few
 * phrases per language, matched on normalised text (lower case, no accents or punctuation).
 */
export type Intent = 'human' | 'greeting' | 'thanks';
export type IntentLanguage = 'en' | 'es' | 'pt' | 'de' | 'fr';

/** Asking for a person, unmistakably: matched anywhere in the message. */
const HUMAN: Record<IntentLanguage, string[]> = {
  en: [
    'talk to a human',
    'speak to a human',
    'talk to someone',
    'speak to someone',
    'talk to a person',
    'speak to a person',
    'speak with a person',
    'talk with a person',
    'real person',
    'real human',
    'live agent',
    'human agent',
    'customer service',
    'representative',
    'want a human',
    'need a human',
  ],
  es: [
    'hablar con alguien',
    'hablar con una persona',
    'hablar con un humano',
    'hablar con un agente',
    'hablar con un asesor',
    'persona real',
    'atencion al cliente',
    'atencion humana',
  ],
  pt: [
    'falar com alguem',
    'falar com uma pessoa',
    'falar com um humano',
    'falar com um atendente',
    'pessoa real',
    'atendimento humano',
  ],
  de: [
    'mit einem menschen',
    'mit einem mitarbeiter',
    'mit einer mitarbeiterin',
    'mit einer person',
    'menschen sprechen',
    'mitarbeiter sprechen',
    'echte person',
    'echten menschen',
    'jemanden sprechen',
    'kundendienst',
    'kundenservice',
  ],
  fr: [
    'parler a quelqu un',
    'parler a une personne',
    'parler a un humain',
    'parler a un conseiller',
    'parler a un agent',
    'vraie personne',
    'service client',
  ],
};

/**
 * Single words that ask for a person only in a short message ("human", "Mitarbeiter bitte"):
 * in a longer one they are usually part of a question ("is this helmet for a human head?").
 */
const HUMAN_WORDS: Record<IntentLanguage, string[]> = {
  en: ['human', 'person', 'agent', 'operator', 'someone'],
  es: ['humano', 'persona', 'agente', 'asesor', 'operador'],
  pt: ['humano', 'pessoa', 'atendente', 'operador', 'agente'],
  de: ['mensch', 'menschen', 'mitarbeiter', 'mitarbeiterin', 'berater', 'person'],
  fr: ['humain', 'conseiller', 'conseillere', 'agent', 'operateur', 'personne'],
};
const SHORT_MESSAGE_WORDS = 6;

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
  const human =
    findPhrase(padded, HUMAN) ??
    (normal.split(' ').length <= SHORT_MESSAGE_WORDS ? findPhrase(padded, HUMAN_WORDS) : null);
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
