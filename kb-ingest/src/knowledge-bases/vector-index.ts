import type { Queryable } from '../db.js';
import type { KnowledgeBase } from './knowledge-base.js';

/**
 * Every knowledge base has its own partial HNSW index over `embedding` cast to its dimension,
 * so one table holds vectors of any size and each tenant's search walks only its own graph
 * (no post-filtering that would cost recall). pgvector indexes `vector` up to 2,000
 * dimensions; larger models (text-embedding-3-large: 3,072) are indexed as `halfvec`.
 * Queries must repeat the same expression and the literal id for the planner to use it.
 */
export function vectorType(dimensions: number): string {
  assertDimensions(dimensions);
  return dimensions > 2000 ? `halfvec(${dimensions})` : `vector(${dimensions})`;
}

export function vectorExpression(kb: Pick<KnowledgeBase, 'embedding'>, column = 'embedding'): string {
  return `${column}::${vectorType(kb.embedding.dimensions)}`;
}

export function vectorIndexName(kbId: string): string {
  return `kb_chunks_hnsw_${assertId(kbId)}`;
}

export function knowledgeBaseIdLiteral(kbId: string): string {
  return assertId(kbId);
}

export async function ensureVectorIndex(
  db: Queryable,
  kb: Pick<KnowledgeBase, 'id' | 'embedding'>,
  options: { m?: number; efConstruction?: number; concurrently?: boolean } = {},
): Promise<void> {
  const ops = kb.embedding.dimensions > 2000 ? 'halfvec_cosine_ops' : 'vector_cosine_ops';
  const m = options.m ?? 16;
  const ef = options.efConstruction ?? 64;
  const name = vectorIndexName(kb.id);
  // CONCURRENTLY (outside any transaction) builds without blocking other knowledge bases'
  // writes to kb_chunks while the table is scanned; a failed concurrent build leaves an
  // invalid index, which is dropped and built again.
  const concurrently = options.concurrently ? 'CONCURRENTLY ' : '';
  const create = `CREATE INDEX ${concurrently}IF NOT EXISTS ${name} ON kb_chunks USING hnsw ((${vectorExpression(kb)}) ${ops})
     WITH (m = ${m}, ef_construction = ${ef}) WHERE knowledge_base_id = ${assertId(kb.id)}`;
  await db.query(create);
  if (!options.concurrently) return;
  const valid = await db.query<{ valid: boolean }>(
    'SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)',
    [name],
  );
  if (valid.rows[0]?.valid === false) {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await db.query(create);
  }
}

export async function dropVectorIndex(db: Queryable, kbId: string): Promise<void> {
  await db.query(`DROP INDEX IF EXISTS ${vectorIndexName(kbId)}`);
}

function assertId(id: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(id)) throw new Error(`invalid knowledge base id ${JSON.stringify(id)}`);
  return id;
}

function assertDimensions(d: number): void {
  if (!Number.isInteger(d) || d < 1 || d > 4000) throw new Error(`invalid dimensions ${d}`);
}
