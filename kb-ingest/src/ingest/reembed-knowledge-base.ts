import type pg from 'pg';
import type { SwitchboardConfig } from '@switchboard/core';
import { Decimal } from 'decimal.js';
import { inTransaction } from '../db.js';
import { cachedEmbedder, resolveEmbeddingSettings } from '../embedding/create-embedder.js';
import { embedTexts } from '../embedding/embed-texts.js';
import type { Embedder } from '../embedding/embedder.js';
import { embeddingCostUsd, EMBEDDING_PRICE_VERSION } from '../embedding/embedding-cost.js';
import { insertKnowledgeBase } from '../knowledge-bases/create-knowledge-base.js';
import { requireKnowledgeBase } from '../knowledge-bases/find-knowledge-bases.js';
import {
  KNOWLEDGE_BASE_COLUMNS,
  knowledgeBaseFromRow,
  KnowledgeBaseError,
  type KnowledgeBase,
} from '../knowledge-bases/knowledge-base.js';
import { dropVectorIndex } from '../knowledge-bases/vector-index.js';
import type { ContentType } from '../loaders/loaded-source.js';
import { toFailure } from './collect-sources.js';
import type { IngestOptions, IngestProgress } from './ingest-sources.js';
import { replaceDocument } from './replace-document.js';
import type { IngestFailure } from './source-ref.js';

export interface ReembedSummary {
  knowledgeBase: string;
  from: string;
  to: string;
  documents: number;
  skipped: number;
  chunks: number;
  tokens: number;
  costUsd: string;
  failures: IngestFailure[];
  interrupted: boolean;
  /** True once the new vectors replaced the old ones. */
  switched: boolean;
}

/**
 * Re-embeds a knowledge base with another model. A copy in state `building` is filled
 * document by document from the stored chunks (no source is re-read) while searches keep
 * using the original; when every document is there, one transaction swaps them. Interrupted,
 * it resumes from the copy on the next run.
 */
export async function reembedKnowledgeBase(
  pool: pg.Pool,
  request: {
    accountId: number;
    kb: string;
    embedding: SwitchboardConfig['knowledge']['embedding'];
    embedder?: Embedder;
    embedOptions?: IngestOptions['embedOptions'];
    signal?: AbortSignal;
    onProgress?: (progress: IngestProgress) => void;
  },
): Promise<ReembedSummary> {
  const kb = await requireKnowledgeBase(pool, request.accountId, request.kb);
  const settings = resolveEmbeddingSettings(request.embedding);
  const build = await findOrCreateBuild(pool, kb, settings);
  const embedder = request.embedder ?? cachedEmbedder(build.embedding);
  const summary: ReembedSummary = {
    knowledgeBase: kb.name,
    from: `${kb.embedding.provider}/${kb.embedding.model} (${kb.embedding.dimensions})`,
    to: `${build.embedding.provider}/${build.embedding.model} (${build.embedding.dimensions})`,
    documents: 0,
    skipped: 0,
    chunks: 0,
    tokens: 0,
    costUsd: '0',
    failures: [],
    interrupted: false,
    switched: false,
  };
  let cost = new Decimal(0);
  const documents = await pool.query<{
    id: string;
    source: string;
    title: string;
    content_type: ContentType;
    checksum: string;
    fingerprint: string;
    metadata: Record<string, string>;
    byte_size: string;
    done: boolean;
  }>(
    `SELECT d.id::text, d.source, d.title, d.content_type, d.checksum, d.fingerprint, d.metadata, d.byte_size,
            EXISTS (SELECT 1 FROM kb_documents b WHERE b.knowledge_base_id = $2 AND b.source = d.source
                    AND b.checksum = d.checksum) AS done
     FROM kb_documents d WHERE d.knowledge_base_id = $1 ORDER BY d.source`,
    [kb.id, build.id],
  );
  const progress: IngestProgress = {
    sourcesTotal: documents.rows.length,
    sourcesDone: 0,
    chunks: 0,
    embeddings: 0,
    current: null,
  };
  for (const doc of documents.rows) {
    if (request.signal?.aborted) {
      summary.interrupted = true;
      break;
    }
    progress.current = doc.source;
    if (doc.done) {
      summary.skipped += 1;
    } else {
      try {
        const chunks = await pool.query<{ content: string; metadata: Record<string, unknown> }>(
          'SELECT content, metadata FROM kb_chunks WHERE document_id = $1 ORDER BY ordinal',
          [doc.id],
        );
        const embedded = await embedTexts(
          embedder,
          chunks.rows.map((c) => c.content),
          {
            ...request.embedOptions,
            purpose: 'document',
            ...(request.signal ? { signal: request.signal } : {}),
            onBatch: (batch) => {
              progress.embeddings += batch.inputs;
              request.onProgress?.({ ...progress });
            },
          },
        );
        const price = embeddingCostUsd(build.embedding.provider, build.embedding.model, embedded.tokens);
        await replaceDocument(pool, build, {
          loaded: {
            source: doc.source,
            title: doc.title,
            contentType: doc.content_type,
            checksum: doc.checksum,
            byteSize: Number(doc.byte_size),
          },
          fingerprint: doc.fingerprint,
          metadata: doc.metadata,
          chunks: chunks.rows,
          vectors: embedded.vectors,
          tokens: embedded.tokens,
          usage: {
            inputs: chunks.rows.length,
            tokens: embedded.tokens,
            latencyMs: embedded.latencyMs,
            costUsd: price.costUsd,
            priceVersion: EMBEDDING_PRICE_VERSION,
          },
        });
        cost = cost.plus(price.costUsd);
        summary.documents += 1;
        summary.chunks += chunks.rows.length;
        summary.tokens += embedded.tokens;
        progress.chunks += chunks.rows.length;
      } catch (error) {
        if (request.signal?.aborted) {
          summary.interrupted = true;
          break;
        }
        summary.failures.push(toFailure(doc.source, error));
      }
    }
    progress.sourcesDone += 1;
    request.onProgress?.({ ...progress });
  }
  summary.costUsd = cost.toFixed(12).replace(/\.?0+$/, '') || '0';
  if (!summary.interrupted && summary.failures.length === 0)
    summary.switched = await switchOver(pool, kb, build);
  return summary;
}

async function findOrCreateBuild(
  pool: pg.Pool,
  kb: KnowledgeBase,
  settings: KnowledgeBase['embedding'],
): Promise<KnowledgeBase> {
  const { rows } = await pool.query(
    `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM kb_knowledge_bases WHERE replaces_id = $1 AND state = 'building'`,
    [kb.id],
  );
  const existing = rows[0] ? knowledgeBaseFromRow(rows[0]) : null;
  if (existing && JSON.stringify(existing.embedding) === JSON.stringify(settings)) return existing;
  if (existing) {
    await dropVectorIndex(pool, existing.id);
    await pool.query('DELETE FROM kb_knowledge_bases WHERE id = $1', [existing.id]);
  }
  if (JSON.stringify(kb.embedding) === JSON.stringify(settings)) {
    throw new KnowledgeBaseError(
      `"${kb.name}" already uses ${settings.provider}/${settings.model} (${settings.dimensions}).`,
    );
  }
  return insertKnowledgeBase(pool, {
    accountId: kb.accountId,
    name: kb.name,
    description: kb.description,
    language: kb.language,
    embedding: settings,
    minScore: kb.minScore,
    state: 'building',
    replacesId: kb.id,
  });
}

/** The swap: only if the copy has every document at its current version (uploads may have run meanwhile). */
async function switchOver(pool: pg.Pool, kb: KnowledgeBase, build: KnowledgeBase): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT id FROM kb_knowledge_bases WHERE id = $1 FOR UPDATE', [kb.id]);
    const missing = await client.query(
      `SELECT 1 FROM kb_documents d WHERE d.knowledge_base_id = $1 AND NOT EXISTS (
         SELECT 1 FROM kb_documents b WHERE b.knowledge_base_id = $2 AND b.source = d.source AND b.checksum = d.checksum)
       LIMIT 1`,
      [kb.id, build.id],
    );
    if (missing.rows.length > 0) return false;
    await client.query(
      `DELETE FROM kb_documents b WHERE b.knowledge_base_id = $2 AND NOT EXISTS (
         SELECT 1 FROM kb_documents d WHERE d.knowledge_base_id = $1 AND d.source = b.source)`,
      [kb.id, build.id],
    );
    // replaces_id first: it cascades, and deleting the original must not take the copy along.
    await client.query('UPDATE kb_knowledge_bases SET replaces_id = NULL WHERE id = $1', [build.id]);
    await dropVectorIndex(client, kb.id);
    await client.query('DELETE FROM kb_knowledge_bases WHERE id = $1', [kb.id]);
    await client.query(`UPDATE kb_knowledge_bases SET state = 'active', updated_at = now() WHERE id = $1`, [
      build.id,
    ]);
    return true;
  });
}
