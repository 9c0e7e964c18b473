import type { KnowledgePassage } from '../../tools/knowledge-search/knowledge-search.js';
import { answerThresholdsFor, type AnswerThresholds } from './answer-thresholds.js';
import {
  contentTerms,
  covers,
  questionShape,
  termCoverage,
  termWeights,
  type TermWeights,
} from './answer-terms.js';
import { passageSentences } from './passage-sentences.js';

/** What one part of the question got: the sentences that answer it and where they come from. */
export interface PartAnswer {
  part: string;
  /** Empty when nothing in the knowledge base answers this part (a miss). */
  sentences: string[];
  passage: KnowledgePassage | null;
}

const MAX_SENTENCES = 3;
/** A section body this short is given whole: a list of opening hours is one answer, not 4 items. */
const WHOLE_SECTION = { chars: 320, sentences: 6 };
const MAX_CHARS = 500;

/**
 * Picks, for one part of the question, the passage that answers it and the sentences of that
 * passage that do. A passage answers only when its retrieval score reaches the embedder's
 * minimum AND it contains enough of the question's own words (or everyday paraphrases of
 * them): a high score from a word-vector average is not, on its own, evidence (an in-domain
 * question the shop never wrote about scores 0.6-0.7 against its FAQ).
 */
export function answerPart(
  part: string,
  passages: readonly KnowledgePassage[],
  thresholds: (passage: KnowledgePassage) => AnswerThresholds = (p) => answerThresholdsFor(p.embedder),
): PartAnswer {
  const { terms, details, predicate } = questionShape(part);
  const read = passages.map((passage) => {
    const sentences = passageSentences(passage.text, passage.documentTitle);
    const all = new Set(contentTerms(`${sentences.section} ${sentences.sentences.join(' ')}`));
    return { passage, ...sentences, terms: all };
  });
  const weights = termWeights(
    terms,
    read.map((r) => r.terms),
    details,
  );
  let best: { passage: KnowledgePassage; rank: number; sentences: string[] } | null = null;
  for (const candidate of read) {
    const t = thresholds(candidate.passage);
    if (predicate && !covers(candidate.terms, predicate)) continue;
    const coverage = termCoverage(terms, candidate.terms, weights);
    if (
      candidate.passage.score < t.minScore ||
      coverage < t.minCoverage ||
      candidate.passage.score + coverage < t.minCombined
    )
      continue;
    const sentences = pickSentences(terms, weights, candidate.sentences, candidate.section);
    if (sentences.length === 0) continue;
    // Of two passages with the question's words, the one whose heading asks the question.
    const heading = termCoverage(terms, new Set(contentTerms(candidate.section)), weights);
    const rank = coverage + candidate.passage.score + 0.5 * heading;
    if (!best || rank > best.rank) best = { passage: candidate.passage, rank, sentences };
  }
  return best
    ? { part, sentences: best.sentences, passage: best.passage }
    : { part, sentences: [], passage: null };
}

/** The weighted share of the question's words each retrieved passage contains (calibration). */
export function passageCoverages(part: string, passages: readonly KnowledgePassage[]): number[] {
  const { terms, details } = questionShape(part);
  const sets = passages.map((passage) => {
    const r = passageSentences(passage.text, passage.documentTitle);
    return new Set(contentTerms(`${r.section} ${r.sentences.join(' ')}`));
  });
  const weights = termWeights(terms, sets, details);
  return sets.map((set) => termCoverage(terms, set, weights));
}

/**
 * An FAQ section's body is its answer: short ones are given whole. In a longer passage (a price
 * list, a page of a manual) the sentences with most of the question's words, in their order.
 */
function pickSentences(
  terms: readonly string[],
  weights: TermWeights,
  sentences: readonly string[],
  section: string,
): string[] {
  const sectionMatches = termCoverage(terms, new Set(contentTerms(section)), weights);
  const scored = sentences.map((sentence, index) => ({
    sentence,
    index,
    coverage: termCoverage(terms, new Set(contentTerms(sentence)), weights),
  }));
  const short =
    sentences.join(' ').length <= WHOLE_SECTION.chars && sentences.length <= WHOLE_SECTION.sentences;
  if (short && sectionMatches > 0) return fit(sentences);
  const top = Math.max(0, ...scored.map((s) => s.coverage));
  if (top === 0) return sectionMatches > 0 ? fit(sentences.slice(0, 2)) : [];
  const chosen = scored
    .filter((s) => s.coverage >= top * 0.99)
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.index - b.index)
    .map((s) => s.sentence);
  return fit(chosen);
}

/** At most MAX_CHARS, whole sentences only (the first one always). */
function fit(sentences: readonly string[]): string[] {
  const out: string[] = [];
  let length = 0;
  for (const sentence of sentences) {
    if (out.length > 0 && length + sentence.length > MAX_CHARS) break;
    out.push(sentence);
    length += sentence.length + 1;
  }
  return out;
}
