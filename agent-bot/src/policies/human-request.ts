/**
 * "Talk to a human": the one rule, used by the engine before any responder runs (faster, and it
 * works when every model is down) and by the offline assistant's intents. Matched on normalised
 * text (lower case, no accents, punctuation as spaces), so "Quero falar com um atendente!" and
 * "quiero hablar con una persona" both hand off.
 */
export type HumanRequestLanguage = 'en' | 'pt' | 'es' | 'de' | 'fr' | 'it';

export type HumanRequest = {
  reason: 'customer_request' | 'keyword';
  /** The phrase or keyword that matched (for the handoff note). */
  matched: string;
  /** The language of the built-in phrase; null for an operator keyword. */
  language: HumanRequestLanguage | null;
} | null;

/** Asking for a person, unmistakably: matched anywhere in the message. */
const PHRASES: Record<HumanRequestLanguage, RegExp[]> = {
  en: [
    /\b(talk|speak|chat)( to| with) (a |an |some |the )?(human|person|agent|operator|representative|real person|someone|somebody|staff member)\b/,
    /\b(i want|i need|i d like|get me|connect me (to|with)|transfer me( to)?|put me through to) (a |an |to a |to an )?(human|agent|person|operator|representative|real person)\b/,
    /\b(real person|real human|live agent|human agent|live person)\b/,
  ],
  es: [
    /\b(hablar|conversar) con (un |una |el |la |algun |alguna )?(humano|agente|persona|operador|operadora|asesor|asesora|alguien)\b/,
    /\b(quiero|necesito) (un |una )?(agente|humano|asesor|operador|persona real)\b/,
    /\b(persona real|atencion humana)\b/,
  ],
  pt: [
    /\b(falar|conversar) com (um |uma |o |a |algum |alguma )?(humano|atendente|pessoa|agente|operador|operadora|alguem|funcionario|funcionaria)\b/,
    /\b(quero|preciso( de)?) (um |uma )?(atendente|humano|atendimento humano|pessoa real)\b/,
    /\b(pessoa real|atendimento humano)\b/,
  ],
  de: [
    /\bmit (einem|einer|jemandem)( echten)? (menschen|mitarbeiter|mitarbeiterin|berater|beraterin|person)\b/,
    /\b(menschen|mitarbeiter|mitarbeiterin|berater|jemanden|person) (sprechen|reden)\b/,
    /\b(echte person|echten menschen)\b/,
  ],
  fr: [
    /\b(parler|discuter) (a|avec) (un |une )?(humain|agent|conseiller|conseillere|operateur|operatrice|personne|quelqu un)\b/,
    /\b(vraie personne|vrai humain)\b/,
  ],
  it: [
    /\b(parlare|chattare) con (un |una |un )?(operatore|operatrice|umano|persona|agente|qualcuno)\b/,
    /\b(persona reale|operatore umano)\b/,
  ],
};

/**
 * Words that ask for a person only in a short message ("human", "Mitarbeiter bitte"): in a
 * longer one they are usually part of a question ("is this helmet for a human head?").
 */
const SHORT_MESSAGE_WORDS: Record<HumanRequestLanguage, string[]> = {
  en: ['human', 'person', 'agent', 'operator', 'someone', 'representative', 'customer service'],
  es: ['humano', 'persona', 'agente', 'asesor', 'operador', 'atencion al cliente'],
  pt: ['humano', 'pessoa', 'atendente', 'operador', 'agente'],
  de: [
    'mensch',
    'menschen',
    'mitarbeiter',
    'mitarbeiterin',
    'berater',
    'person',
    'kundendienst',
    'kundenservice',
  ],
  fr: ['humain', 'conseiller', 'conseillere', 'agent', 'operateur', 'personne', 'service client'],
  it: ['operatore', 'umano', 'persona'],
};
const SHORT_MESSAGE = 4;

export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The operator's keywords first (whole words, accents and case ignored), then, when `builtin`,
 * the phrases above; single words only in a message of at most four words.
 */
export function detectHumanRequest(
  text: string,
  keywords: readonly string[],
  builtin: boolean,
): HumanRequest {
  const normalized = normalizeText(text);
  if (normalized.length === 0) return null;
  const padded = ` ${normalized} `;
  for (const keyword of keywords) {
    const wanted = normalizeText(keyword);
    if (wanted && padded.includes(` ${wanted} `))
      return { reason: 'keyword', matched: keyword, language: null };
  }
  if (!builtin) return null;
  for (const [language, phrases] of Object.entries(PHRASES) as Array<[HumanRequestLanguage, RegExp[]]>) {
    for (const phrase of phrases) {
      const match = phrase.exec(normalized);
      if (match) return { reason: 'customer_request', matched: match[0], language };
    }
  }
  if (normalized.split(' ').length > SHORT_MESSAGE) return null;
  for (const [language, words] of Object.entries(SHORT_MESSAGE_WORDS) as Array<
    [HumanRequestLanguage, string[]]
  >) {
    const word = words.find((candidate) => padded.includes(` ${candidate} `));
    if (word) return { reason: 'customer_request', matched: word, language };
  }
  return null;
}
