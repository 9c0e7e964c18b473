import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../embedding/embedder.js';
import { createOfflineEmbedder } from '../embedding/offline-embedder.js';
import { createKnowledgeBase } from '../knowledge-bases/create-knowledge-base.js';
import { requireKnowledgeBase } from '../knowledge-bases/find-knowledge-bases.js';
import { searchKnowledgeBases } from '../search/search-knowledge-bases.js';
import { countingEmbedder } from '../testing/fake-embedders.js';
import { ingestTexts } from './ingest-paths.js';
import { reembedKnowledgeBase } from './reembed-knowledge-base.js';

/** A 64-d "model" derived from the offline vectors, standing in for a provider. */
function smallerModel(offline: Embedder): Embedder {
  return {
    provider: 'openai-compatible',
    model: 'mini',
    dimensions: 64,
    maxBatchSize: 100,
    async embed(texts) {
      const result = await offline.embed(texts);
      return { vectors: result.vectors.map((v) => v.slice(0, 64)), tokens: result.tokens };
    },
  };
}

describe('reembedKnowledgeBase', () => {
  let db: TestDatabase;
  const offline = createOfflineEmbedder();
  const target = {
    provider: 'openai-compatible' as const,
    model: 'mini',
    dimensions: 64,
    baseUrl: 'http://127.0.0.1:9/v1',
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await createKnowledgeBase(db.pool, { accountId: 3, name: 'help' });
    await ingestTexts(db.pool, {
      accountId: 3,
      kb: 'help',
      documents: ['shipping', 'returns', 'hours', 'payments'].map((topic) => ({
        source: `${topic}.md`,
        text: `# ${topic}\nEverything about ${topic}.`,
      })),
    });
  });
  afterAll(async () => db?.drop());

  it('builds a copy with the new model while the old one serves, resumes after an interruption, then swaps', async () => {
    const controller = new AbortController();
    const model = countingEmbedder(smallerModel(offline));
    const first = await reembedKnowledgeBase(db.pool, {
      accountId: 3,
      kb: 'help',
      embedding: target,
      embedder: model,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.sourcesDone === 2) controller.abort();
      },
    });
    expect(first).toMatchObject({ interrupted: true, switched: false, documents: 2 });
    // Still the original, searchable as before.
    const during = await requireKnowledgeBase(db.pool, 3, 'help');
    expect(during.embedding.dimensions).toBe(100);
    const meanwhile = await searchKnowledgeBases(
      db.pool,
      { accountId: 3, knowledgeBases: ['help'], query: 'payments', minScore: 0 },
      { record: false },
    );
    expect(meanwhile.passages.length).toBeGreaterThan(0);

    const second = await reembedKnowledgeBase(db.pool, {
      accountId: 3,
      kb: 'help',
      embedding: target,
      embedder: model,
    });
    expect(second).toMatchObject({ interrupted: false, switched: true, documents: 2, skipped: 2 });
    expect(model.texts).toHaveLength(4);

    const after = await requireKnowledgeBase(db.pool, 3, 'help');
    expect(after.embedding).toEqual(target);
    expect(after.id).not.toBe(during.id);
    const counts = await db.pool.query(
      `SELECT (SELECT count(*) FROM kb_knowledge_bases WHERE account_id = 3) AS kbs,
              (SELECT count(*) FROM kb_documents WHERE account_id = 3) AS docs,
              (SELECT count(*) FROM kb_chunks WHERE account_id = 3 AND vector_dims(embedding) = 64) AS chunks`,
    );
    expect(counts.rows[0]).toEqual({ kbs: '1', docs: '4', chunks: '4' });
    const result = await searchKnowledgeBases(
      db.pool,
      { accountId: 3, knowledgeBases: ['help'], query: 'payments', minScore: 0 },
      { embedderFor: () => smallerModel(offline), record: false },
    );
    expect(result.passages[0]!.source).toBe('payments.md');
  });

  it('refuses to re-embed with the model it already uses', async () => {
    await expect(
      reembedKnowledgeBase(db.pool, {
        accountId: 3,
        kb: 'help',
        embedding: target,
        embedder: smallerModel(offline),
      }),
    ).rejects.toThrow('already uses openai-compatible/mini (64)');
  });
});
