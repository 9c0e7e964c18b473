import type pg from 'pg';
import { inTransaction } from '../db.js';
import { requireKnowledgeBase } from './find-knowledge-bases.js';
import { dropVectorIndex } from './vector-index.js';

/** Deletes a knowledge base with its documents, chunks, vector index and any unfinished re-embedding. */
export async function deleteKnowledgeBase(
  pool: pg.Pool,
  accountId: number,
  name: string,
): Promise<{ documents: number; chunks: number }> {
  const kb = await requireKnowledgeBase(pool, accountId, name);
  return inTransaction(pool, async (client) => {
    const counts = await client.query<{ documents: string; chunks: string }>(
      `SELECT (SELECT count(*) FROM kb_documents WHERE knowledge_base_id = $1) AS documents,
              (SELECT count(*) FROM kb_chunks WHERE knowledge_base_id = $1) AS chunks`,
      [kb.id],
    );
    const builds = await client.query<{ id: string }>(
      `SELECT id::text FROM kb_knowledge_bases WHERE replaces_id = $1`,
      [kb.id],
    );
    for (const build of builds.rows) await dropVectorIndex(client, build.id);
    await dropVectorIndex(client, kb.id);
    await client.query(
      'DELETE FROM kb_knowledge_bases WHERE (id = $1 OR replaces_id = $1) AND account_id = $2',
      [kb.id, accountId],
    );
    return { documents: Number(counts.rows[0]!.documents), chunks: Number(counts.rows[0]!.chunks) };
  });
}

/** Removes one document (by source) from a knowledge base. */
export async function deleteDocument(
  pool: pg.Pool,
  accountId: number,
  name: string,
  source: string,
): Promise<boolean> {
  const kb = await requireKnowledgeBase(pool, accountId, name);
  const result = await pool.query(
    'DELETE FROM kb_documents WHERE knowledge_base_id = $1 AND account_id = $2 AND source = $3',
    [kb.id, accountId, source],
  );
  return (result.rowCount ?? 0) > 0;
}
