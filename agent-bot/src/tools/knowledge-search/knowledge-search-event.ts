import type { AnalyticsEventInput } from '@switchboard/events';
import type { TurnContext } from '../../responder/responder.js';
import type { KnowledgeSearchResult } from './knowledge-search.js';
import { turnEnvelope } from '../../responder/turn-envelope.js';

/** The knowledge_search analytics event (hits and misses feed the knowledge-gap report). */
export function knowledgeSearchEvent(
  turn: TurnContext,
  knowledgeBases: string[],
  query: string,
  result: KnowledgeSearchResult,
  id: string,
): AnalyticsEventInput {
  const top = result.passages[0]?.score ?? null;
  return {
    id,
    occurredAt: turn.now.toISOString(),
    type: 'knowledge_search',
    ...turnEnvelope(turn),
    payload: {
      knowledgeBases,
      query: query.slice(0, 500),
      hits: result.passages.length,
      topScore: top,
      outcome: result.miss || result.passages.length === 0 ? 'miss' : 'hit',
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
