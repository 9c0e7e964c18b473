import type { Queryable } from '../db.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';

/** Deletes the documents whose source is not in `keep` (their chunks go with them). */
export async function pruneDocuments(
  db: Queryable,
  kb: KnowledgeBase,
  keep: readonly string[],
): Promise<string[]> {
  const { rows } = await db.query<{ source: string }>(
    `DELETE FROM kb_documents WHERE knowledge_base_id = $1 AND account_id = $2 AND NOT (source = ANY($3::text[]))
     RETURNING source`,
    [kb.id, kb.accountId, [...keep]],
  );
  return rows.map((r) => r.source).sort();
}
