import type { AnalyticsEventInput } from '@switchboard/events';
import type { TurnContext } from '../../responder/responder.js';
import type { KnowledgeSearchResult } from './knowledge-search.js';
import { turnEnvelope } from '../../responder/turn-envelope.js';

/**
 * The knowledge_search analytics event (hits and misses feed the knowledge-gap report). A
 * search is a miss when nothing reached the minimum score, and also when passages came back but
 * the answer used none of them (`used: false`): the customer's question was not answered from
 * the knowledge base either way.
 */
export function knowledgeSearchEvent(
  turn: TurnContext,
  knowledgeBases: string[],
  query: string,
  result: KnowledgeSearchResult,
  id: string,
  options: { used?: boolean } = {},
): AnalyticsEventInput {
  const top = result.passages[0]?.score ?? null;
  return {
    id,
    occurredAt: turn.now.toISOString(),
    type: 'knowledge_search',
    ...turnEnvelope(turn),
    payload: {
      knowledgeBases,
      query: reportedQuestion(query),
      hits: result.passages.length,
      topScore: top,
      outcome: isKnowledgeMiss(result, options.used) ? 'miss' : 'hit',
      latencyMs: Math.max(0, Math.round(result.latencyMs)),
      turnId: turn.turnId,
      passages: result.passages.slice(0, 5).map((passage) => ({
        documentTitle: passage.documentTitle.slice(0, 200),
        source: passage.source.slice(0, 300),
        score: passage.score,
      })),
    },
  };
}

export function isKnowledgeMiss(result: KnowledgeSearchResult, used?: boolean): boolean {
  return result.miss || result.passages.length === 0 || used === false;
}

/**
 * The question as the knowledge-gap report groups it (analytics: case and surrounding spaces
 * ignored): inner runs of spaces and line breaks as one space and the closing punctuation off, so
 * "Do you rent bikes?" and "do you rent bikes" count as one question.
 */
export function reportedQuestion(query: string): string {
  return query
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?!.,;:…]+$/u, '')
    .slice(0, 500);
}
