import type { Queryable } from '../db.js';
import {
  KNOWLEDGE_BASE_COLUMNS,
  knowledgeBaseFromRow,
  KnowledgeBaseError,
  type KnowledgeBase,
} from './knowledge-base.js';

/** Always scoped by account: a name alone never finds another tenant's knowledge base. */
export async function findKnowledgeBase(
  db: Queryable,
  accountId: number,
  name: string,
): Promise<KnowledgeBase | null> {
  const { rows } = await db.query(
    `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM kb_knowledge_bases WHERE account_id = $1 AND name = $2 AND state = 'active'`,
    [accountId, name],
  );
  return rows.length > 0 ? knowledgeBaseFromRow(rows[0]) : null;
}

export async function requireKnowledgeBase(
  db: Queryable,
  accountId: number,
  name: string,
): Promise<KnowledgeBase> {
  const kb = await findKnowledgeBase(db, accountId, name);
  if (!kb) throw new KnowledgeBaseError(`No knowledge base "${name}" in account ${accountId}.`);
  return kb;
}

export async function findKnowledgeBases(
  db: Queryable,
  accountId: number,
  names: readonly string[],
): Promise<KnowledgeBase[]> {
  const { rows } = await db.query(
    `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM kb_knowledge_bases
     WHERE account_id = $1 AND name = ANY($2::text[]) AND state = 'active' ORDER BY name`,
    [accountId, [...names]],
  );
  return rows.map(knowledgeBaseFromRow);
}

export async function listKnowledgeBases(db: Queryable, accountId?: number): Promise<KnowledgeBase[]> {
  const { rows } = await db.query(
    `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM kb_knowledge_bases
     WHERE state = 'active' AND ($1::bigint IS NULL OR account_id = $1) ORDER BY account_id, name`,
    [accountId ?? null],
  );
  return rows.map(knowledgeBaseFromRow);
}
