import type { IntentLanguage } from './intents.js';
import { normalise } from './intents.js';
import { detectClearLanguage } from '../../language/customer-language.js';

const INTENT_LANGUAGES = ['en', 'es', 'pt', 'de', 'fr'] as const;

/** Frequent short words per language: enough to pick the wording of a canned reply. */
const STOPWORDS: Record<IntentLanguage, string[]> = {
  en: [
    'the',
    'is',
    'are',
    'do',
    'you',
    'what',
    'when',
    'how',
    'my',
    'can',
    'i',
    'to',
    'of',
    'and',
    'open',
    'have',
    'does',
  ],
  es: [
    'el',
    'la',
    'los',
    'las',
    'es',
    'que',
    'de',
    'y',
    'por',
    'para',
    'cuando',
    'como',
    'mi',
    'tienen',
    'puedo',
    'hay',
    'usted',
    'cual',
  ],
  pt: [
    'o',
    'os',
    'as',
    'voces',
    'voce',
    'que',
    'de',
    'do',
    'da',
    'e',
    'para',
    'quando',
    'como',
    'meu',
    'minha',
    'tem',
    'posso',
    'nao',
    'qual',
  ],
  de: [
    'der',
    'die',
    'das',
    'ist',
    'sind',
    'und',
    'ich',
    'sie',
    'wann',
    'wie',
    'was',
    'mein',
    'haben',
    'kann',
    'nicht',
    'ihr',
    'habt',
    'geoffnet',
  ],
  fr: [
    'le',
    'la',
    'les',
    'est',
    'et',
    'je',
    'vous',
    'quand',
    'comment',
    'quel',
    'quelle',
    'mon',
    'ma',
    'avez',
    'pouvez',
    'est ce',
    'ouvert',
    'pas',
  ],
};

/** The most likely of the five reply languages, or `fallback` when the text gives no clue. */
export function detectLanguage(text: string, fallback: IntentLanguage): IntentLanguage {
  // The bot's one detector first (language/customer-language.ts); these common words decide
  // only when it is unsure or names a language without offline wording.
  const clear = detectClearLanguage(text);
  if (clear && (INTENT_LANGUAGES as readonly string[]).includes(clear)) return clear as IntentLanguage;
  const words = normalise(text).split(' ');
  let best: IntentLanguage = fallback;
  let bestScore = 0;
  for (const [language, list] of Object.entries(STOPWORDS) as Array<[IntentLanguage, string[]]>) {
    const set = new Set(list);
    const score = words.filter((word) => set.has(word)).length;
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return best;
}

export function asIntentLanguage(language: string): IntentLanguage {
  const short = language.slice(0, 2).toLowerCase();
  return (['en', 'es', 'pt', 'de', 'fr'] as const).find((l) => l === short) ?? 'en';
}
