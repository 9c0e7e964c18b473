import type { ChunkingOptions } from '../chunking/split-into-chunks.js';
import type { EmbedTextsOptions } from '../embedding/embed-texts.js';
import type { Embedder } from '../embedding/embedder.js';
import type { IngestFailure } from './source-ref.js';

export interface IngestOptions extends Partial<ChunkingOptions> {
  /** Metadata added to every document and chunk (filterable in search). */
  metadata?: Record<string, string>;
  maxFileBytes?: number;
  fetchTimeoutMs?: number;
  embeddingBatchSize?: number;
  /** Overrides the knowledge base's own embedder (tests, benchmarks). */
  embedder?: Embedder;
  embedOptions?: Pick<
    EmbedTextsOptions,
    'maxAttempts' | 'maxRetryDelayMs' | 'minRequestIntervalMs' | 'sleep' | 'onRetry'
  >;
  /** Ctrl-C: finish (or abandon) the current document, then stop. */
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  sourcesTotal: number;
  sourcesDone: number;
  chunks: number;
  embeddings: number;
  current: string | null;
}

export type DocumentOutcome = 'added' | 'updated' | 'unchanged' | 'failed';

export interface IngestSummary {
  knowledgeBase: string;
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Files inside uploaded folders whose type is not supported. */
  skipped: string[];
  pruned: number;
  chunks: number;
  embeddings: number;
  tokens: number;
  costUsd: string;
  failures: IngestFailure[];
  /** True when the run was interrupted: what is done is committed, a re-run resumes. */
  interrupted: boolean;
  durationMs: number;
  documents: Array<{ source: string; outcome: DocumentOutcome; chunks: number; version?: number }>;
}

export const DEFAULT_INGEST = {
  chunkSize: 1000,
  chunkOverlap: 150,
  maxFileBytes: 20 * 1024 * 1024,
  fetchTimeoutMs: 15_000,
};
