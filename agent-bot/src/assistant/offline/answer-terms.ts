import { stemmer } from 'stemmer';

/**
 * The words of a question that carry its meaning, as stems, for matching a question against
 * the sentences of a passage without a model. Function words and the words every customer
 * question has ("can you", "please", "tell me") say nothing about which sentence answers it.
 */
const STOP_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from into onto about as than then so also too very ' +
    'i me my mine we us our ours you your yours he she it its they them their this that these those there here ' +
    'is are was were be been being am do does did done have has had having will would shall should can could ' +
    'may might must need want like please tell know let get got any some much many more most just only ' +
    'what when where which who whom whose why how hi hello hey thanks thank ok okay yes no not ' +
    'one else anything something someone thing things way really well still ever'
  ).split(' '),
);

/**
 * A few everyday paraphrases customers use for the words knowledge bases are written in. Kept
 * small and generic (any shop or service), not tuned to one knowledge base: each maps to the
 * stem the documents tend to use.
 */
const SYNONYMS: Record<string, string[]> = {
  pick: ['collect'],
  fix: ['repair'],
  mend: ['repair'],
  flat: ['punctur'],
  refund: ['return'],
  send: ['return', 'deliv'],
  ship: ['deliv'],
  shipping: ['deliv'],
  post: ['deliv'],
  cost: ['price', '£'],
  price: ['cost', '£'],
  charg: ['cost', '£'],
  pai: ['cost', 'pay'],
  fee: ['cost', '£'],
  cheap: ['price', '£'],
  expens: ['price', '£'],
  buy: ['sell', 'sold'],
  purchas: ['sell', 'sold'],
  sell: ['buy', 'sold'],
  voucher: ['card'],
  locat: ['street', 'address'],
  address: ['street'],
  where: ['street'],
  phone: ['contact', 'call'],
  call: ['phone', 'contact'],
  email: ['contact', 'mail'],
  open: ['hour', 'close'],
  close: ['hour', 'open'],
  hour: ['open'],
  time: ['hour'],
  try: ['test', 'trial'],
  lesson: ['session', 'class'],
  guarante: ['warranti'],
  warranti: ['guarante'],
  book: ['reserv', 'slot'],
  cancel: ['cancel'],
  discount: ['off'],
  kid: ['children', 'child'],
  children: ['kid', 'child'],
  car: ['park'],
  park: ['parking', 'car'],
};

/** Stems of a text's content words ("e-bikes" → "ebik"; "£20" keeps "£" as its own token). */
export function contentTerms(text: string): string[] {
  const tokens = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/(\p{L})[-‐](\p{L})/gu, '$1$2')
    .replace(/£/g, ' £ ')
    .split(/[^\p{L}\p{N}£]+/u)
    .filter((token) => token && (token.length > 1 || token === '£') && !STOP_WORDS.has(token));
  return tokens.map((token) => (/^\p{N}+$/u.test(token) || token === '£' ? token : stemmer(token)));
}

/** The question's distinct terms. */
export function questionTerms(question: string): string[] {
  return [...new Set(contentTerms(question))];
}

/** True when the text's terms contain the question term or one of its everyday paraphrases. */
function covers(textTerms: ReadonlySet<string>, term: string): boolean {
  if (textTerms.has(term)) return true;
  for (const alternative of SYNONYMS[term] ?? []) if (textTerms.has(alternative)) return true;
  // A stem that starts the other ("ride" / "ridden" aside, "collect" / "collection").
  for (const other of textTerms)
    if (term.length >= 4 && other.length >= 4 && other.startsWith(term)) return true;
  return false;
}

/** Share of the question's terms the text contains (0 when the question has none). */
export function termCoverage(question: readonly string[], textTerms: ReadonlySet<string>): number {
  if (question.length === 0) return 0;
  return question.filter((term) => covers(textTerms, term)).length / question.length;
}

/** The question's terms the text contains. */
export function coveredTerms(question: readonly string[], textTerms: ReadonlySet<string>): string[] {
  return question.filter((term) => covers(textTerms, term));
}
