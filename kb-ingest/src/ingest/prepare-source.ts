import { splitIntoChunks, type ChunkingOptions } from '../chunking/split-into-chunks.js';
import { embedTexts } from '../embedding/embed-texts.js';
import type { Embedder } from '../embedding/embedder.js';
import { embeddingCostUsd, EMBEDDING_PRICE_VERSION } from '../embedding/embedding-cost.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';
import type { IngestOptions, IngestProgress } from './ingest-options.js';
import { loadSource } from './load-source.js';
import type { EmbeddedDocument } from './replace-document.js';
import type { SourceRef } from './source-ref.js';

export type PreparedSource =
  | { kind: 'unchanged'; source: string }
  | { kind: 'ready'; document: EmbeddedDocument }
  | { kind: 'failed'; source: string; error: unknown };

/** What one run of ingestSources fixes for every source it prepares. */
export interface PrepareContext {
  kb: KnowledgeBase;
  embedder: Embedder;
  chunking: ChunkingOptions;
  metadata: Record<string, string>;
  /** Chunker version, chunking and metadata: a document is unchanged only if this and its bytes are. */
  fingerprint: string;
  /** What is stored now, by source (kept current as the run writes documents). */
  existing: Map<string, { checksum: string; fingerprint: string }>;
  options: IngestOptions;
  /** Updated in place and reported through options.onProgress. */
  progress: IngestProgress;
}

/** Read, compare, split and embed one source (outside any transaction); never throws: a failure is a result. */
export async function prepareSource(ref: SourceRef, ctx: PrepareContext): Promise<PreparedSource> {
  const { kb, options, progress } = ctx;
  try {
    progress.current = ref.source;
    options.onProgress?.({ ...progress });
    const loaded = await loadSource(ref, options);
    const before = ctx.existing.get(loaded.source);
    if (before && before.checksum === loaded.checksum && before.fingerprint === ctx.fingerprint) {
      return { kind: 'unchanged', source: loaded.source };
    }
    const chunks = await splitIntoChunks(loaded.documents, ctx.chunking);
    progress.chunks += chunks.length;
    options.onProgress?.({ ...progress });
    const embedded = await embedTexts(
      ctx.embedder,
      chunks.map((c) => c.content),
      {
        ...options.embedOptions,
        batchSize: options.embeddingBatchSize ?? 96,
        purpose: 'document',
        ...(options.signal ? { signal: options.signal } : {}),
        onBatch: (batch) => {
          progress.embeddings += batch.inputs;
          options.onProgress?.({ ...progress });
        },
      },
    );
    const price = embeddingCostUsd(kb.embedding.provider, kb.embedding.model, embedded.tokens);
    const { documents: _documents, ...loadedInfo } = loaded;
    return {
      kind: 'ready',
      document: {
        loaded: loadedInfo,
        fingerprint: ctx.fingerprint,
        metadata: { ...ctx.metadata, ...(ref.kind === 'text' ? ref.metadata : {}) },
        chunks,
        vectors: embedded.vectors,
        tokens: embedded.tokens,
        usage: {
          inputs: chunks.length,
          tokens: embedded.tokens,
          latencyMs: embedded.latencyMs,
          costUsd: price.costUsd,
          priceVersion: EMBEDDING_PRICE_VERSION,
        },
      },
    };
  } catch (error) {
    return { kind: 'failed', source: ref.source, error };
  }
}
