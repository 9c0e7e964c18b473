/**
 * "Talk to a human" in the languages our customers write in. Matched on whole words after
 * lower-casing and removing accents, so "Quero falar com um atendente!" and "quiero hablar
 * con una persona" both hand off without asking the model (faster, and works when it is down).
 */
const BUILTIN_PHRASES: RegExp[] = [
  // English
  /\b(talk|speak|chat)\s+(to|with)\s+(a|an|some|the)?\s*(human|person|agent|operator|representative|real person|someone)\b/,
  /\b(human|real person|live agent|customer service)\s*(please|pls)?$/,
  /\b(i want|i need|get me|connect me (to|with)|transfer me (to)?)\s+(a|an|to a)?\s*(human|agent|person|operator|representative)\b/,
  // Portuguese
  /\b(falar|conversar)\s+com\s+(um|uma|o|a|algum|alguem)?\s*(humano|atendente|pessoa|agente|operador|alguem)\b/,
  /\b(quero|preciso de?)\s+(um|uma)?\s*(atendente|humano|atendimento humano)\b/,
  // Spanish
  /\b(hablar|conversar)\s+con\s+(un|una|el|la|alguien|algun)?\s*(humano|agente|persona|operador|asesor|alguien)\b/,
  /\b(quiero|necesito)\s+(un|una)?\s*(agente|humano|asesor|operador)\b/,
  // French
  /\b(parler|discuter)\s+(a|avec)\s+(un|une)\s+(humain|agent|conseiller|conseillere|operateur|personne)\b/,
  /\b(parler|discuter)\s+(a|avec)\s+quelqu'un\b/,
  // German
  /\b(mit\s+(einem|einer)\s+(menschen|mitarbeiter|mitarbeiterin|berater|person))\b/,
  // Italian
  /\b(parlare)\s+con\s+(un|una|un')?\s*(operatore|umano|persona|agente)\b/,
];

export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export type HumanRequest = { reason: 'customer_request' | 'keyword'; matched: string } | null;

export function detectHumanRequest(
  text: string,
  keywords: readonly string[],
  builtin: boolean,
): HumanRequest {
  const normalized = normalizeText(text);
  if (normalized.length === 0) return null;
  for (const keyword of keywords) {
    const wanted = normalizeText(keyword);
    if (wanted && new RegExp(`(^|\\W)${escapeRegExp(wanted)}($|\\W)`).test(normalized)) {
      return { reason: 'keyword', matched: keyword };
    }
  }
  if (builtin) {
    for (const phrase of BUILTIN_PHRASES) {
      const match = phrase.exec(normalized);
      if (match) return { reason: 'customer_request', matched: match[0] };
    }
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
