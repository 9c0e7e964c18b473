import type pg from 'pg';
import { CHUNKER_VERSION } from '../chunking/split-into-chunks.js';
import { cachedEmbedder } from '../embedding/create-embedder.js';
import { EmbeddingCallError } from '../embedding/embedder.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';
import { ensureVectorIndex } from '../knowledge-bases/vector-index.js';
import { sha256 } from '../loaders/loaded-source.js';
import {
  DEFAULT_INGEST,
  type IngestOptions,
  type IngestProgress,
  type IngestSummary,
} from './ingest-options.js';
import { createSummaryRecorder } from './ingest-summary.js';
import { prepareSource, type PrepareContext, type PreparedSource } from './prepare-source.js';
import { recordEmbeddingFailure } from './record-embedding-failure.js';
import { replaceDocument } from './replace-document.js';
import type { SourceRef } from './source-ref.js';

export { DEFAULT_INGEST } from './ingest-options.js';
export type { DocumentOutcome, IngestOptions, IngestProgress, IngestSummary } from './ingest-options.js';

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
  const summary = createSummaryRecorder(kb);
  const progress: IngestProgress = {
    sourcesTotal: refs.length,
    sourcesDone: 0,
    chunks: 0,
    embeddings: 0,
    current: null,
  };
  // Heals a knowledge base whose index build was interrupted (a no-op otherwise).
  await ensureVectorIndex(pool, kb, { concurrently: true });
  const ctx = await prepareContext(pool, kb, options, progress);

  const fail = async (source: string, error: unknown): Promise<void> => {
    summary.failed(source, error);
    if (error instanceof EmbeddingCallError) await recordEmbeddingFailure(pool, kb, error);
  };

  // A small pipeline: the next source is read and embedded while this one is written, so the
  // database's round trips and commits overlap with parsing, embedding or a provider's latency.
  let next: Promise<PreparedSource> | null = refs.length > 0 ? prepareSource(refs[0]!, ctx) : null;
  for (let i = 0; i < refs.length; i++) {
    const prepared = await next!;
    next = null;
    // Interrupted: what was prepared but not written is dropped; the next run redoes it.
    if (options.signal?.aborted) {
      summary.interrupted();
      break;
    }
    if (i + 1 < refs.length) next = prepareSource(refs[i + 1]!, ctx);
    if (prepared.kind === 'unchanged') {
      summary.unchanged(prepared.source);
    } else if (prepared.kind === 'failed') {
      await fail(prepared.source, prepared.error);
    } else {
      const doc = prepared.document;
      try {
        summary.written(doc, await replaceDocument(pool, kb, doc));
        ctx.existing.set(doc.loaded.source, { checksum: doc.loaded.checksum, fingerprint: ctx.fingerprint });
      } catch (error) {
        await fail(doc.loaded.source, error);
      }
    }
    progress.sourcesDone += 1;
    options.onProgress?.({ ...progress });
  }
  // A source prepared ahead when the run stopped: let it settle (it never rejects).
  await next;
  return summary.finish();
}

/** The run's chunking, fingerprint and embedder, and the checksums stored now. */
async function prepareContext(
  pool: pg.Pool,
  kb: KnowledgeBase,
  options: IngestOptions,
  progress: IngestProgress,
): Promise<PrepareContext> {
  const chunking = {
    chunkSize: options.chunkSize ?? DEFAULT_INGEST.chunkSize,
    chunkOverlap: options.chunkOverlap ?? DEFAULT_INGEST.chunkOverlap,
  };
  const metadata = options.metadata ?? {};
  // Not the model: re-embedding replaces vectors without making every document "changed".
  const fingerprint = sha256(JSON.stringify({ v: CHUNKER_VERSION, ...chunking, metadata }));
  const existing = new Map<string, { checksum: string; fingerprint: string }>();
  const rows = await pool.query<{ source: string; checksum: string; fingerprint: string }>(
    'SELECT source, checksum, fingerprint FROM kb_documents WHERE knowledge_base_id = $1 AND account_id = $2',
    [kb.id, kb.accountId],
  );
  for (const row of rows.rows) existing.set(row.source, row);
  return {
    kb,
    embedder: options.embedder ?? cachedEmbedder(kb.embedding),
    chunking,
    metadata,
    fingerprint,
    existing,
    options,
    progress,
  };
}
