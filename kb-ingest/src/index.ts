/**
 * @switchboard/kb-ingest: knowledge bases on PostgreSQL + pgvector. The agent-bot calls
 * searchKnowledgeBases; the CLI and the local playground create knowledge bases and ingest.
 */
export {
  searchKnowledgeBases,
  DEFAULT_MIN_SCORE,
  searchRequestSchema,
} from './search/search-knowledge-bases.js';
export type { SearchRequest, SearchResult, Passage, SearchOptions } from './search/search-knowledge-bases.js';
export { createKnowledgeBase } from './knowledge-bases/create-knowledge-base.js';
export type { CreateKnowledgeBaseInput } from './knowledge-bases/create-knowledge-base.js';
export {
  findKnowledgeBase,
  requireKnowledgeBase,
  listKnowledgeBases,
} from './knowledge-bases/find-knowledge-bases.js';
export { deleteKnowledgeBase, deleteDocument } from './knowledge-bases/delete-knowledge-base.js';
export { knowledgeBaseStats } from './knowledge-bases/knowledge-base-stats.js';
export type { KnowledgeBaseStats } from './knowledge-bases/knowledge-base-stats.js';
export { KnowledgeBaseError } from './knowledge-bases/knowledge-base.js';
export type { KnowledgeBase, EmbeddingSettings } from './knowledge-bases/knowledge-base.js';
export { ingestPaths, ingestTexts } from './ingest/ingest-paths.js';
export type { IngestPathsOptions } from './ingest/ingest-paths.js';
export type { IngestSummary, IngestProgress, IngestOptions } from './ingest/ingest-sources.js';
export { reembedKnowledgeBase } from './ingest/reembed-knowledge-base.js';
export type { ReembedSummary } from './ingest/reembed-knowledge-base.js';
export { createEmbedder, resolveEmbeddingSettings } from './embedding/create-embedder.js';
export type { Embedder, EmbeddingResult } from './embedding/embedder.js';
export { createOfflineEmbedder } from './embedding/offline-embedder.js';
