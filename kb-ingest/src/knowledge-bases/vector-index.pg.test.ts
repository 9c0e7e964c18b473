import pgvector from 'pgvector';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../embedding/embedder.js';
import { ingestTexts } from '../ingest/ingest-paths.js';
import { hybridSearchSql } from '../search/hybrid-search-sql.js';
import { searchKnowledgeBases } from '../search/search-knowledge-bases.js';
import { createKnowledgeBase } from './create-knowledge-base.js';
import { deleteKnowledgeBase } from './delete-knowledge-base.js';
import { vectorIndexName } from './vector-index.js';

/** A deterministic stand-in for a model of any size: a few hashed word features. */
function hashedEmbedder(dimensions: number): Embedder {
  return {
    provider: 'openai',
    model: 'text-embedding-3-large',
    dimensions,
    maxBatchSize: 100,
    embed(texts) {
      const vectors = texts.map((text) => {
        const v = new Array<number>(dimensions).fill(0.001);
        for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
          let h = 0;
          for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) % dimensions;
          v[h]! += 1;
        }
        return v;
      });
      return Promise.resolve({ vectors, tokens: texts.length });
    },
  };
}

describe('per-knowledge-base vector indexes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  const planUses = async (sql: string, params: unknown[], index: string) => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      // On tiny tables scanning and sorting is cheaper; what matters is that the index *can*
      // serve the query, i.e. that the query repeats the index's expression and predicate.
      for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort']) {
        await client.query(`SET LOCAL ${setting} = off`);
      }
      const plan = await client.query(`EXPLAIN ${sql}`, params);
      await client.query('COMMIT');
      const text = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      return text.includes(index);
    } finally {
      client.release();
    }
  };

  it('indexes 3,072-d vectors (text-embedding-3-large) as halfvec, and search uses that index', async () => {
    const kb = await createKnowledgeBase(db.pool, {
      accountId: 4,
      name: 'large',
      embedding: { provider: 'openai', model: 'text-embedding-3-large' },
    });
    expect(kb.embedding.dimensions).toBe(3072);
    const definition = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = $1`, [
      vectorIndexName(kb.id),
    ]);
    const indexdef = definition.rows[0].indexdef as string;
    expect(indexdef).toContain('USING hnsw');
    expect(indexdef).toContain('halfvec(3072)');
    expect(indexdef).toContain('halfvec_cosine_ops');
    expect(indexdef).toContain(`WHERE (knowledge_base_id = ${kb.id})`);

    const embedder = hashedEmbedder(3072);
    await ingestTexts(db.pool, {
      accountId: 4,
      kb: 'large',
      embedder,
      documents: [
        { source: 'a', text: '# Returns\nReturn unused items within thirty days.' },
        { source: 'b', text: '# Delivery\nParcels arrive within five days.' },
      ],
    });
    const query = (await embedder.embed(['return unused items'])).vectors[0]!;
    expect(
      await planUses(
        hybridSearchSql(kb, { filtered: false, withVector: true }),
        [pgvector.toSql(query), 'return unused items', 40, 4],
        vectorIndexName(kb.id),
      ),
    ).toBe(true);
    const result = await searchKnowledgeBases(
      db.pool,
      { accountId: 4, knowledgeBases: ['large'], query: 'return unused items' },
      { embedderFor: () => embedder, record: false },
    );
    expect(result.passages[0]!.source).toBe('a');
  });

  it('gives each knowledge base its own index and drops it with the knowledge base', async () => {
    const one = await createKnowledgeBase(db.pool, { accountId: 5, name: 'one' });
    const two = await createKnowledgeBase(db.pool, { accountId: 6, name: 'one' });
    const names = async () =>
      (
        await db.pool.query(
          `SELECT indexname FROM pg_indexes WHERE indexname LIKE 'kb_chunks_hnsw_%' ORDER BY 1`,
        )
      ).rows.map((r) => r.indexname as string);
    expect(await names()).toEqual(expect.arrayContaining([vectorIndexName(one.id), vectorIndexName(two.id)]));
    await deleteKnowledgeBase(db.pool, 5, 'one');
    expect(await names()).not.toContain(vectorIndexName(one.id));
    expect(await names()).toContain(vectorIndexName(two.id));
  });

  it('an upload rebuilds the index of a knowledge base whose index build was interrupted', async () => {
    const kb = await createKnowledgeBase(db.pool, { accountId: 7, name: 'healed' });
    await db.pool.query(`DROP INDEX ${vectorIndexName(kb.id)}`);
    await ingestTexts(db.pool, {
      accountId: 7,
      kb: 'healed',
      documents: [{ source: 'a', text: 'Hello there.' }],
    });
    const { rows } = await db.pool.query(
      `SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
      [vectorIndexName(kb.id)],
    );
    expect(rows).toEqual([{ valid: true }]);
  });
});
