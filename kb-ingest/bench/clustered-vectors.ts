import type pg from 'pg';
import { inTransaction } from '../src/db.js';
import type { KnowledgeBase } from '../src/knowledge-bases/knowledge-base.js';
import { dropVectorIndex, ensureVectorIndex } from '../src/knowledge-bases/vector-index.js';
import { vectorSearchSql } from '../src/search/hybrid-search-sql.js';

/**
 * Clustered vectors generated inside the database (no 300 MB of vector text over the wire):
 * CLUSTERS centres, each point its centre plus uniform noise. Random isotropic vectors would
 * make every neighbour equally far and HNSW recall meaningless; real embeddings cluster.
 */
export const CLUSTERS = 200;
const NOISE = 0.9;

export async function loadClusteredVectors(
  pool: pg.Pool,
  kb: KnowledgeBase,
  n: number,
  dimensions: number,
): Promise<{ insertSeconds: number; indexSeconds: number }> {
  const doc = await pool.query<{ id: string }>(
    `INSERT INTO kb_documents (knowledge_base_id, account_id, source, title, content_type, checksum, fingerprint)
     VALUES ($1, $2, 'bench', 'bench', 'text', 'bench', 'bench') RETURNING id::text`,
    [kb.id, kb.accountId],
  );
  await pool.query('DROP TABLE IF EXISTS bench_centres');
  await pool.query(`SELECT setseed(0.42)`);
  await pool.query(
    `CREATE TABLE bench_centres AS
     SELECT c, array_agg(random() - 0.5 ORDER BY d) AS v
     FROM generate_series(0, ${CLUSTERS - 1}) c, generate_series(1, ${dimensions}) d GROUP BY c`,
  );
  // Building the graph once at the end is several times faster than growing it row by row.
  await dropVectorIndex(pool, kb.id);
  const started = performance.now();
  const batch = 10_000;
  for (let from = 0; from < n; from += batch) {
    await pool.query(
      `INSERT INTO kb_chunks (knowledge_base_id, document_id, account_id, ordinal, content, search_text, embedding)
       SELECT $1, $2, $3, i, 'bench', ''::tsvector,
              (SELECT array_agg(x + ${NOISE} * (random() - 0.5) ORDER BY ord)
               FROM unnest(bc.v) WITH ORDINALITY AS u(x, ord))::vector
       FROM generate_series($4::int, $5::int) i
       JOIN bench_centres bc ON bc.c = i % ${CLUSTERS}`,
      [kb.id, doc.rows[0]!.id, kb.accountId, from, Math.min(n, from + batch) - 1],
    );
  }
  const inserted = performance.now();
  await inTransaction(pool, async (client) => {
    await client.query(`SET LOCAL maintenance_work_mem = '1GB'`);
    await ensureVectorIndex(client, kb);
  });
  await pool.query('ANALYZE kb_chunks');
  return { insertSeconds: (inserted - started) / 1000, indexSeconds: (performance.now() - inserted) / 1000 };
}

/** Query vectors from the same distribution as the data (a new point near a random centre). */
export async function makeQueries(pool: pg.Pool, count: number): Promise<string[]> {
  await pool.query(`SELECT setseed(0.17)`);
  const { rows } = await pool.query<{ q: string }>(
    `SELECT (SELECT array_agg(x + ${NOISE} * (random() - 0.5) ORDER BY ord) FROM unnest(bc.v) WITH ORDINALITY AS u(x, ord))::vector::text AS q
     FROM generate_series(1, $1::int) i JOIN bench_centres bc ON bc.c = (i * 7919) % ${CLUSTERS}`,
    [count],
  );
  return rows.map((r) => r.q);
}

/** Ground truth: the same ORDER BY with index scans off, i.e. an exact scan. */
export async function exactTop(
  pool: pg.Pool,
  kb: KnowledgeBase,
  query: string,
  k: number,
): Promise<string[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SET LOCAL enable_indexscan = off');
    await client.query('SET LOCAL enable_bitmapscan = off');
    const { rows } = await client.query<{ id: string }>(vectorSearchSql(kb), [query, k, kb.accountId]);
    return rows.map((r) => r.id);
  });
}

/** The production query through the HNSW index, timed alone (settings applied beforehand). */
export async function approximateTop(
  client: pg.PoolClient,
  kb: KnowledgeBase,
  query: string,
  k: number,
): Promise<{ ids: string[]; ms: number }> {
  const started = performance.now();
  const { rows } = await client.query<{ id: string }>(vectorSearchSql(kb), [query, k, kb.accountId]);
  return { ids: rows.map((r) => r.id), ms: performance.now() - started };
}
