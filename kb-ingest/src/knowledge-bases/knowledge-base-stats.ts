import type { Queryable } from '../db.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { vectorIndexName } from './vector-index.js';

export interface KnowledgeBaseStats {
  documents: number;
  chunks: number;
  tokens: number;
  bytes: number;
  byContentType: Record<string, number>;
  lastUpdatedAt: string | null;
  /** On-disk size of the chunks' HNSW index. */
  vectorIndexBytes: number | null;
}

export async function knowledgeBaseStats(db: Queryable, kb: KnowledgeBase): Promise<KnowledgeBaseStats> {
  const { rows } = await db.query<{
    documents: string;
    chunks: string;
    tokens: string;
    bytes: string;
    last: Date | null;
    types: Record<string, number> | null;
  }>(
    `SELECT count(*) AS documents, coalesce(sum(chunk_count), 0) AS chunks, coalesce(sum(token_count), 0) AS tokens,
            coalesce(sum(byte_size), 0) AS bytes, max(updated_at) AS last,
            (SELECT jsonb_object_agg(content_type, n) FROM
               (SELECT content_type, count(*) AS n FROM kb_documents WHERE knowledge_base_id = $1 GROUP BY 1) t) AS types
     FROM kb_documents WHERE knowledge_base_id = $1 AND account_id = $2`,
    [kb.id, kb.accountId],
  );
  const row = rows[0]!;
  let indexBytes: number | null = null;
  try {
    const size = await db.query<{ size: string | null }>(
      `SELECT pg_relation_size(to_regclass($1))::text AS size`,
      [vectorIndexName(kb.id)],
    );
    indexBytes = size.rows[0]?.size ? Number(size.rows[0].size) : null;
  } catch {
    indexBytes = null;
  }
  return {
    documents: Number(row.documents),
    chunks: Number(row.chunks),
    tokens: Number(row.tokens),
    bytes: Number(row.bytes),
    byContentType: row.types ?? {},
    lastUpdatedAt: row.last ? row.last.toISOString() : null,
    vectorIndexBytes: indexBytes,
  };
}
