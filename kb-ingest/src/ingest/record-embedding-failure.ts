import type pg from 'pg';
import { enqueueAnalyticsEvents } from '../analytics-events.js';
import type { EmbeddingCallError } from '../embedding/embedder.js';
import { EMBEDDING_PRICE_VERSION } from '../embedding/embedding-cost.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';

/** A provider outage is worth seeing on the cost dashboard too; best effort, never fatal. */
export async function recordEmbeddingFailure(
  pool: pg.Pool,
  kb: KnowledgeBase,
  error: EmbeddingCallError,
): Promise<void> {
  await enqueueAnalyticsEvents(pool, [
    {
      type: 'embedding',
      accountId: kb.accountId,
      conversationId: null,
      payload: {
        provider: kb.embedding.provider,
        model: kb.embedding.model,
        knowledgeBase: kb.name,
        inputs: 0,
        tokens: 0,
        latencyMs: 0,
        outcome: error.rateLimited ? 'rate_limited' : 'error',
        priceVersion: EMBEDDING_PRICE_VERSION,
      },
    },
  ]).catch(() => undefined);
}
