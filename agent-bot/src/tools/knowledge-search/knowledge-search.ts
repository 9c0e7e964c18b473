import type { Database } from '@switchboard/core';

/**
 * The knowledge-base search the assistant depends on: the same signature as kb-ingest's
 * `searchKnowledgeBases`, injected so the assistant does not depend on its storage.
 */
export type KnowledgeSearch = (
  db: Database['pool'],
  query: KnowledgeQuery,
  /** record: false because the assistant emits the knowledge_search event itself, with the turn's ids. */
  options?: { record?: boolean },
) => Promise<KnowledgeSearchResult>;

export interface KnowledgeQuery {
  accountId: number;
  knowledgeBases: string[];
  query: string;
  limit?: number;
  minScore?: number;
  filter?: Record<string, string>;
  conversationId?: number;
  assistant?: string;
}

export interface KnowledgePassage {
  text: string;
  score: number;
  documentTitle: string;
  source: string;
  knowledgeBase: string;
  chunkId: string;
  metadata: Record<string, unknown>;
  /** The embedding provider of the passage's knowledge base: score scales differ per embedder. */
  embedder?: string;
}

export interface KnowledgeSearchResult {
  passages: KnowledgePassage[];
  /** kb-ingest's verdict that nothing matched well enough. */
  miss: boolean;
  latencyMs: number;
}
