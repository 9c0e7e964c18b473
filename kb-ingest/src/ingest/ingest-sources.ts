import path from 'node:path';
import type pg from 'pg';
import { Decimal } from 'decimal.js';
import { splitIntoChunks, CHUNKER_VERSION, type ChunkingOptions } from '../chunking/split-into-chunks.js';
import { enqueueAnalyticsEvents } from '../analytics-events.js';
import { cachedEmbedder } from '../embedding/create-embedder.js';
import { embedTexts, type EmbedTextsOptions } from '../embedding/embed-texts.js';
import { EmbeddingCallError, type Embedder } from '../embedding/embedder.js';
import { embeddingCostUsd, EMBEDDING_PRICE_VERSION } from '../embedding/embedding-cost.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';
import { ensureVectorIndex } from '../knowledge-bases/vector-index.js';
import { loadContent } from '../loaders/load-content.js';
import { loadFile } from '../loaders/load-file.js';
import { loadUrl } from '../loaders/load-url.js';
import { sha256, type LoadedSource } from '../loaders/loaded-source.js';
import { toFailure } from './collect-sources.js';
import { replaceDocument, type EmbeddedDocument } from './replace-document.js';
import type { IngestFailure, SourceRef } from './source-ref.js';

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

/**
 * Ingests sources one by one: read, skip if unchanged (same bytes and same chunking), chunk,
 * embed (outside any transaction), then replace the document atomically. One source failing
 * is recorded and the run goes on.
 */
export async function ingestSources(
  pool: pg.Pool,
  kb: KnowledgeBase,
  refs: readonly SourceRef[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const started = performance.now();
  const chunking = {
    chunkSize: options.chunkSize ?? DEFAULT_INGEST.chunkSize,
    chunkOverlap: options.chunkOverlap ?? DEFAULT_INGEST.chunkOverlap,
  };
  const metadata = options.metadata ?? {};
  // Not the model: re-embedding replaces vectors without making every document "changed".
  const fingerprint = sha256(JSON.stringify({ v: CHUNKER_VERSION, ...chunking, metadata }));
  const embedder = options.embedder ?? cachedEmbedder(kb.embedding);
  const summary: IngestSummary = {
    knowledgeBase: kb.name,
    added: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: [],
    pruned: 0,
    chunks: 0,
    embeddings: 0,
    tokens: 0,
    costUsd: '0',
    failures: [],
    interrupted: false,
    durationMs: 0,
    documents: [],
  };
  const progress: IngestProgress = {
    sourcesTotal: refs.length,
    sourcesDone: 0,
    chunks: 0,
    embeddings: 0,
    current: null,
  };
  let cost = new Decimal(0);

  // Heals a knowledge base whose index build was interrupted (a no-op otherwise).
  await ensureVectorIndex(pool, kb, { concurrently: true });
  const existing = new Map<string, { checksum: string; fingerprint: string }>();
  const rows = await pool.query<{ source: string; checksum: string; fingerprint: string }>(
    'SELECT source, checksum, fingerprint FROM kb_documents WHERE knowledge_base_id = $1 AND account_id = $2',
    [kb.id, kb.accountId],
  );
  for (const row of rows.rows) existing.set(row.source, row);

  type Prepared =
    | { kind: 'unchanged'; source: string }
    | { kind: 'ready'; document: EmbeddedDocument }
    | { kind: 'failed'; source: string; error: unknown };

  /** Read, compare, split and embed one source; never throws (a failure is a result). */
  const prepare = async (ref: SourceRef): Promise<Prepared> => {
    try {
      progress.current = ref.source;
      options.onProgress?.({ ...progress });
      const loaded = await load(ref, options);
      const before = existing.get(loaded.source);
      if (before && before.checksum === loaded.checksum && before.fingerprint === fingerprint) {
        return { kind: 'unchanged', source: loaded.source };
      }
      const chunks = await splitIntoChunks(loaded.documents, chunking);
      progress.chunks += chunks.length;
      options.onProgress?.({ ...progress });
      const embedded = await embedTexts(
        embedder,
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
          fingerprint,
          metadata: { ...metadata, ...(ref.kind === 'text' ? ref.metadata : {}) },
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
  };

  const fail = async (source: string, error: unknown): Promise<void> => {
    summary.failed += 1;
    summary.failures.push(toFailure(source, error));
    summary.documents.push({ source, outcome: 'failed', chunks: 0 });
    if (error instanceof EmbeddingCallError) await recordEmbeddingFailure(pool, kb, error);
  };

  // A small pipeline: the next source is read and embedded while this one is written, so the
  // database's round trips and commits overlap with parsing, embedding or a provider's latency.
  let next: Promise<Prepared> | null = refs.length > 0 ? prepare(refs[0]!) : null;
  for (let i = 0; i < refs.length; i++) {
    const prepared = await next!;
    next = null;
    // Interrupted: what was prepared but not written is dropped; the next run redoes it.
    if (options.signal?.aborted) {
      summary.interrupted = true;
      break;
    }
    if (i + 1 < refs.length) next = prepare(refs[i + 1]!);
    if (prepared.kind === 'unchanged') {
      summary.unchanged += 1;
      summary.documents.push({ source: prepared.source, outcome: 'unchanged', chunks: 0 });
    } else if (prepared.kind === 'failed') {
      await fail(prepared.source, prepared.error);
    } else {
      const doc = prepared.document;
      try {
        const result = await replaceDocument(pool, kb, doc);
        cost = cost.plus(doc.usage.costUsd);
        summary.chunks += doc.chunks.length;
        summary.embeddings += doc.vectors.length;
        summary.tokens += doc.tokens;
        const outcome = result.created ? 'added' : 'updated';
        summary[outcome] += 1;
        summary.documents.push({
          source: doc.loaded.source,
          outcome,
          chunks: doc.chunks.length,
          version: result.version,
        });
        existing.set(doc.loaded.source, { checksum: doc.loaded.checksum, fingerprint });
      } catch (error) {
        await fail(doc.loaded.source, error);
      }
    }
    progress.sourcesDone += 1;
    options.onProgress?.({ ...progress });
  }
  // A source prepared ahead when the run stopped: let it settle (it never rejects).
  await next;
  summary.costUsd = cost.toFixed(12).replace(/\.?0+$/, '') || '0';
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

async function load(ref: SourceRef, options: IngestOptions): Promise<LoadedSource> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_INGEST.maxFileBytes;
  switch (ref.kind) {
    case 'file':
      return loadFile(ref.path, ref.source, { maxBytes });
    case 'url':
      return loadUrl(ref.url, {
        maxBytes,
        timeoutMs: options.fetchTimeoutMs ?? DEFAULT_INGEST.fetchTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    case 'text': {
      const contentType = ref.contentType ?? 'markdown';
      const loaded = await loadContent(
        { source: ref.source, fileName: path.basename(ref.source), bytes: Buffer.from(ref.text, 'utf8') },
        contentType,
      );
      return ref.title ? { ...loaded, title: ref.title } : loaded;
    }
  }
}

/** A provider outage is worth seeing on the cost dashboard too; best effort, never fatal. */
async function recordEmbeddingFailure(
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
