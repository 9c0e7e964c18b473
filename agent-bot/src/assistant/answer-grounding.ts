import type { KnowledgePassage } from '../tools/knowledge-search/knowledge-search.js';
import { contentTerms } from './offline/answer-terms.js';

/**
 * Whether a model's answer drew on the passages it was given: it states at least two of their
 * facts' words (stems) or one of their numbers, beyond what the customer's own question already
 * said (echoing "repair" back is not using a passage about repairs). An answer that only
 * apologises, offers a colleague or talks about something else uses none, so its search counts
 * as a knowledge miss (issue 19: an unrelated 0.28 passage sent as "the answer" was a hit).
 */
export function answerUsesPassages(
  answer: string,
  question: string,
  passages: readonly KnowledgePassage[],
): boolean {
  if (!answer.trim() || passages.length === 0) return false;
  const asked = new Set(contentTerms(question));
  const known = new Set(passages.flatMap((passage) => contentTerms(passage.text)));
  const stated = [...new Set(contentTerms(answer))].filter((term) => !asked.has(term) && known.has(term));
  const numbers = stated.filter((term) => /^\p{N}+$/u.test(term));
  return numbers.length > 0 || stated.filter((term) => term !== '£').length >= 2;
}
