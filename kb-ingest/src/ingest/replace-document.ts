import type pg from 'pg';
import pgvector from 'pgvector';
import { enqueueAnalyticsEvents } from '../analytics-events.js';
import { inTransaction } from '../db.js';
import type { Chunk } from '../chunking/split-into-chunks.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';
import type { LoadedSource } from '../loaders/loaded-source.js';

export interface EmbeddedDocument {
  loaded: Omit<LoadedSource, 'documents'>;
  fingerprint: string;
  metadata: Record<string, string>;
  chunks: Chunk[];
  vectors: number[][];
  tokens: number;
  /** The `embedding` analytics event for this document's embedding calls. */
  usage: { inputs: number; tokens: number; latencyMs: number; costUsd: string; priceVersion: string };
}

/**
 * Swaps a document's chunks for new ones in one transaction: a search sees the old version
 * or the new one, never half of each, and a crash or Ctrl-C leaves the old one. Vectors are
 * computed before this is called: no transaction ever waits on an embedding provider.
 */
export async function replaceDocument(
  pool: pg.Pool,
  kb: KnowledgeBase,
  doc: EmbeddedDocument,
): Promise<{ documentId: string; version: number; created: boolean }> {
  return inTransaction(pool, async (client) => {
    const upserted = await client.query<{ id: string; version: number; created: boolean }>(
      `INSERT INTO kb_documents AS d
         (knowledge_base_id, account_id, source, title, content_type, checksum, fingerprint, metadata,
          byte_size, chunk_count, token_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (knowledge_base_id, source) DO UPDATE SET
         title = EXCLUDED.title, content_type = EXCLUDED.content_type, checksum = EXCLUDED.checksum,
         fingerprint = EXCLUDED.fingerprint, metadata = EXCLUDED.metadata, byte_size = EXCLUDED.byte_size,
         chunk_count = EXCLUDED.chunk_count, token_count = EXCLUDED.token_count,
         version = d.version + 1, updated_at = now()
       RETURNING id::text, version, (xmax = 0) AS created`,
      [
        kb.id,
        kb.accountId,
        doc.loaded.source,
        doc.loaded.title,
        doc.loaded.contentType,
        doc.loaded.checksum,
        doc.fingerprint,
        JSON.stringify(doc.metadata),
        doc.loaded.byteSize,
        doc.chunks.length,
        doc.tokens,
      ],
    );
    const { id, version, created } = upserted.rows[0]!;
    if (!created) await client.query('DELETE FROM kb_chunks WHERE document_id = $1', [id]);
    await insertChunks(client, kb, id, doc);
    await enqueueAnalyticsEvents(client, [
      {
        type: 'embedding',
        accountId: kb.accountId,
        conversationId: null,
        costUsd: doc.usage.costUsd,
        costKind: 'embedding',
        payload: {
          provider: kb.embedding.provider,
          model: kb.embedding.model,
          knowledgeBase: kb.name,
          inputs: doc.usage.inputs,
          tokens: doc.usage.tokens,
          latencyMs: Math.round(doc.usage.latencyMs),
          outcome: 'ok',
          priceVersion: doc.usage.priceVersion,
        },
      },
    ]);
    return { documentId: id, version, created };
  });
}

/** Rows per INSERT: keeps each statement's parameters a few MB even for 3,072-d vectors. */
const INSERT_BATCH = 200;

async function insertChunks(
  client: pg.PoolClient,
  kb: KnowledgeBase,
  documentId: string,
  doc: EmbeddedDocument,
): Promise<void> {
  for (let start = 0; start < doc.chunks.length; start += INSERT_BATCH) {
    const slice = doc.chunks.slice(start, start + INSERT_BATCH);
    // language was validated against pg_ts_config when the knowledge base was created. The
    // document title is left out: in a one-file FAQ it would make every chunk match its words.
    await client.query(
      `INSERT INTO kb_chunks (knowledge_base_id, document_id, account_id, ordinal, content, metadata, search_text, embedding)
       SELECT $1, $2, $3, t.ordinal, t.content, t.metadata,
              to_tsvector('${kb.language}', t.content),
              t.embedding::vector
       FROM unnest($4::int[], $5::text[], $6::jsonb[], $7::text[]) AS t(ordinal, content, metadata, embedding)`,
      [
        kb.id,
        documentId,
        kb.accountId,
        slice.map((_, i) => start + i),
        slice.map((c) => c.content),
        slice.map((c) => JSON.stringify({ ...c.metadata, ...doc.metadata })),
        doc.vectors.slice(start, start + INSERT_BATCH).map((v) => pgvector.toSql(v) as string),
      ],
    );
  }
}
