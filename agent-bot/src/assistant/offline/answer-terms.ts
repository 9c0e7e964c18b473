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
    'one else anything something someone thing things way really well still ever ' +
    'up down out over offer provide available there possible'
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
  discount: ['off'],
  long: ['last', 'minut', 'take'],
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

/**
 * A question made only of function words still asks something: "Where are you?" asks for the
 * address (the knowledge base's "Where are you?" section has none of its words but "street").
 */
const QUESTION_WORD_TERMS: Record<string, string> = { where: 'locat' };

function impliedTerms(terms: string[], words: readonly string[]): string[] {
  if (terms.length > 0) return terms;
  const implied = words.map((word) => QUESTION_WORD_TERMS[word.replace(/[^a-z]/g, '')]).find(Boolean);
  return implied ? [implied] : terms;
}

/** The question's distinct terms. */
export function questionTerms(question: string): string[] {
  return [...new Set(contentTerms(question))];
}

/** True when the text's terms contain the question term or one of its everyday paraphrases. */
export function covers(textTerms: ReadonlySet<string>, term: string): boolean {
  if (textTerms.has(term)) return true;
  for (const alternative of SYNONYMS[term] ?? []) if (textTerms.has(alternative)) return true;
  // A stem the other only extends or shortens a little ("deliv" / "deliveri", "fulli" / "full"),
  // not a different word ("long" / "longheld").
  for (const other of textTerms) {
    if (term.length < 4 || other.length < 4 || Math.abs(other.length - term.length) > 3) continue;
    if (other.startsWith(term) || term.startsWith(other)) return true;
  }
  return false;
}

/**
 * The weight of a question word none of the retrieved passages contains: in the question's
 * head ("do you *rent* bikes") it is what the knowledge base does not know; in a trailing
 * phrase ("… from my *house*", "… by the *day*") it is usually the customer's own detail.
 */
export const UNSEEN_TERM_WEIGHT = { head: 1.2, detail: 0.3 };
/** A word of a trailing phrase counts this much of a head word's weight. */
const DETAIL_FACTOR = 0.6;
/** Words that start a trailing detail: prepositions, and relative clauses ("… that I bought", "… I bought"). */
const DETAIL_STARTS = new Set(
  (
    'from by to for in at on with near before after during within without since until into ' +
    'that which who i we they'
  ).split(' '),
);

/**
 * The question's terms split into its head (up to the first preposition or relative clause after
 * a content word) and the details that follow: "can you pick up my bike | from my house",
 * "can I return an accessory | I bought".
 */
export function questionShape(question: string): {
  terms: string[];
  details: Set<string>;
  predicate: string | undefined;
} {
  const words = question.toLowerCase().split(/\s+/);
  const cut = words.findIndex(
    (word, index) => DETAIL_STARTS.has(word) && contentTerms(words.slice(0, index).join(' ')).length > 0,
  );
  const head = cut < 0 ? words : words.slice(0, cut);
  const headTerms = new Set(contentTerms(head.join(' ')));
  const terms = impliedTerms(questionTerms(question), words);
  return {
    terms,
    details: new Set(terms.filter((t) => !headTerms.has(t))),
    predicate: predicateTerm(question),
  };
}

/**
 * The verb of a yes/no question about what the business does ("do you *sell* …", "can I
 * *return* …"): a passage that does not say it does not answer, however many other words it
 * shares ("E-bike test rides … a charged battery" for "do you sell e-bike batteries").
 */
function predicateTerm(question: string): string | undefined {
  const match = /^(?:do|does|did|can|could|will|would)\s+(?:you|i|we)\s+([\p{L}-]+)/iu.exec(question.trim());
  if (!match) return undefined;
  return contentTerms(match[1]!)[0];
}

/**
 * The question with the everyday paraphrases of its words appended, for the search: the
 * full-text half matches any of the words, so "pick up my bike" also finds "we collect bikes".
 */
export function expandQuery(question: string): string {
  const own = new Set(impliedTerms(contentTerms(question), question.toLowerCase().split(/\s+/)));
  const extra = [...own].flatMap((term) => SYNONYMS[term] ?? []).filter((t) => t !== '£' && !own.has(t));
  return extra.length === 0 ? question : `${question} ${[...new Set(extra)].join(' ')}`;
}

/** How much a term says which passage answers: weight by term, default 1. */
export type TermWeights = ReadonlyMap<string, number>;

/**
 * Share of the question's terms the text contains (0 when the question has none), each term
 * counted with its weight: "batteries" matters more than "bike" in a bike shop.
 */
export function termCoverage(
  question: readonly string[],
  textTerms: ReadonlySet<string>,
  weights: TermWeights = new Map(),
): number {
  let total = 0;
  let covered = 0;
  for (const term of question) {
    const weight = weights.get(term) ?? 1;
    total += weight;
    if (covers(textTerms, term)) covered += weight;
  }
  return total === 0 ? 0 : covered / total;
}

/**
 * Inverse document frequency of each question term among the retrieved passages: a term every
 * passage has ("bike" in a bike shop's knowledge base) tells them apart less than one only a
 * single passage has, and one no passage has is what the knowledge base does not know.
 */
export function termWeights(
  question: readonly string[],
  passageTerms: ReadonlyArray<ReadonlySet<string>>,
  details: ReadonlySet<string> = new Set(),
): TermWeights {
  const n = passageTerms.length;
  return new Map(
    question.map((term) => {
      const df = passageTerms.filter((terms) => covers(terms, term)).length;
      const detail = details.has(term);
      if (df === 0) return [term, detail ? UNSEEN_TERM_WEIGHT.detail : UNSEEN_TERM_WEIGHT.head];
      const idf = Math.log((n + 1) / (df + 0.5));
      return [term, detail ? idf * DETAIL_FACTOR : idf];
    }),
  );
}

/** The question's terms the text contains. */
export function coveredTerms(question: readonly string[], textTerms: ReadonlySet<string>): string[] {
  return question.filter((term) => covers(textTerms, term));
}
