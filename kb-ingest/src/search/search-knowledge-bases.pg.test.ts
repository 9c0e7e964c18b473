import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '../embedding/offline-embedder.js';
import { ingestTexts } from '../ingest/ingest-paths.js';
import { createKnowledgeBase } from '../knowledge-bases/create-knowledge-base.js';
import { downEmbedder } from '../testing/fake-embedders.js';
import { searchKnowledgeBases } from './search-knowledge-bases.js';

describe('searchKnowledgeBases', () => {
  let db: TestDatabase;
  const offline = createOfflineEmbedder();

  beforeAll(async () => {
    db = await createTestDatabase();
    // Two tenants with a knowledge base of the same name and different answers.
    for (const [accountId, countries] of [
      [1, 40],
      [2, 12],
    ] as const) {
      await createKnowledgeBase(db.pool, { accountId, name: 'help' });
      await ingestTexts(db.pool, {
        accountId,
        kb: 'help',
        documents: [
          {
            source: 'shipping.md',
            text: `# Shipping\nWe ship to ${countries} countries. Delivery takes 3 to 5 days.`,
            metadata: { topic: 'shipping' },
          },
          {
            source: 'returns.md',
            text: '# Returns\nReturn unused items within 30 days for a full refund.',
            metadata: { topic: 'returns' },
          },
        ],
      });
    }
    await createKnowledgeBase(db.pool, { accountId: 1, name: 'prices', language: 'en' });
    await ingestTexts(db.pool, {
      accountId: 1,
      kb: 'prices',
      documents: [
        {
          source: 'https://acme.example/prices',
          title: 'Price list',
          text: '# Lamps\nThe brass lamp costs 49.90.',
          contentType: 'markdown',
        },
      ],
    });
  });
  afterAll(async () => db?.drop());

  it('returns passages with text, score, document title and source for citation', async () => {
    const result = await searchKnowledgeBases(db.pool, {
      accountId: 1,
      knowledgeBases: ['help'],
      query: 'Do you ship to other countries?',
    });
    expect(result.miss).toBe(false);
    expect(result.passages[0]).toMatchObject({
      text: 'Shipping\nWe ship to 40 countries. Delivery takes 3 to 5 days.',
      documentTitle: 'Shipping',
      source: 'shipping.md',
      knowledgeBase: 'help',
      metadata: { topic: 'shipping', section: 'Shipping' },
    });
    expect(result.passages[0]!.score).toBeGreaterThan(0.2);
    expect(result.passages[0]!.score).toBeLessThanOrEqual(1);
    expect(result.passages[0]!.chunkId).toMatch(/^\d+$/);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('never returns another account’s passages, even for a knowledge base of the same name', async () => {
    for (const accountId of [1, 2]) {
      const result = await searchKnowledgeBases(db.pool, {
        accountId,
        knowledgeBases: ['help', 'prices'],
        query: 'how many countries do you ship to',
        limit: 10,
      });
      const texts = result.passages.map((p) => p.text).join('\n');
      expect(texts).toContain(accountId === 1 ? '40 countries' : '12 countries');
      expect(texts).not.toContain(accountId === 1 ? '12 countries' : '40 countries');
    }
    // Account 2 has no "prices": naming it finds nothing rather than account 1's.
    const warnings: string[] = [];
    const result = await searchKnowledgeBases(
      db.pool,
      { accountId: 2, knowledgeBases: ['prices'], query: 'brass lamp price' },
      { onWarning: (m) => warnings.push(m) },
    );
    expect(result).toMatchObject({ miss: true, passages: [] });
    expect(warnings).toEqual(['no knowledge base "prices" in account 2']);
    // An account that does not exist at all.
    expect(
      (await searchKnowledgeBases(db.pool, { accountId: 99, knowledgeBases: ['help'], query: 'refund' }))
        .miss,
    ).toBe(true);
  });

  it('searches several knowledge bases at once and says which one answered', async () => {
    const result = await searchKnowledgeBases(db.pool, {
      accountId: 1,
      knowledgeBases: ['help', 'prices'],
      query: 'how much is the brass lamp',
    });
    expect(result.passages[0]).toMatchObject({
      knowledgeBase: 'prices',
      documentTitle: 'Price list',
      source: 'https://acme.example/prices',
    });
  });

  it('filters by metadata', async () => {
    const result = await searchKnowledgeBases(db.pool, {
      accountId: 1,
      knowledgeBases: ['help'],
      query: 'ship countries refund',
      filter: { topic: 'returns' },
      minScore: 0,
    });
    expect(result.passages.length).toBeGreaterThan(0);
    expect(result.passages.every((p) => p.metadata.topic === 'returns')).toBe(true);
  });

  it('honours minScore and limit; empty queries are a miss', async () => {
    const strict = await searchKnowledgeBases(db.pool, {
      accountId: 1,
      knowledgeBases: ['help'],
      query: 'refund',
      minScore: 0.99,
    });
    expect(strict.miss).toBe(true);
    const one = await searchKnowledgeBases(db.pool, {
      accountId: 1,
      knowledgeBases: ['help'],
      query: 'refund shipping',
      limit: 1,
      minScore: 0,
    });
    expect(one.passages).toHaveLength(1);
    expect(
      (await searchKnowledgeBases(db.pool, { accountId: 1, knowledgeBases: ['help'], query: '   ' })).miss,
    ).toBe(true);
    await expect(
      searchKnowledgeBases(db.pool, { accountId: 1, knowledgeBases: [], query: 'x' }),
    ).rejects.toThrow();
  });

  it('records every query as a knowledge_search event: hits and misses', async () => {
    await db.pool.query(`DELETE FROM analytics_outbox WHERE event_type = 'knowledge_search'`);
    await searchKnowledgeBases(db.pool, {
      accountId: 1,
      knowledgeBases: ['help'],
      query: 'can I return a product?',
      conversationId: 77,
      assistant: 'store',
    });
    await searchKnowledgeBases(db.pool, {
      accountId: 1,
      knowledgeBases: ['help'],
      query: 'What is the capital of Mongolia?',
      conversationId: 77,
    });
    const { rows } = await db.pool.query(
      `SELECT event FROM analytics_outbox WHERE event_type = 'knowledge_search' ORDER BY seq`,
    );
    expect(rows.map((r) => r.event.payload.outcome)).toEqual(['hit', 'miss']);
    expect(rows[0].event).toMatchObject({
      accountId: 1,
      conversationId: 77,
      assistant: 'store',
      payload: { knowledgeBases: ['help'], query: 'can I return a product?', outcome: 'hit' },
    });
    expect(rows[0].event.payload.hits).toBeGreaterThan(0);
    expect(rows[1].event.payload).toMatchObject({ hits: 0, topScore: null, outcome: 'miss' });
  });

  it('still answers from full text while the embedding provider is down', async () => {
    const warnings: string[] = [];
    const result = await searchKnowledgeBases(
      db.pool,
      { accountId: 1, knowledgeBases: ['help'], query: 'refund within 30 days' },
      { embedderFor: () => downEmbedder(offline), onWarning: (m) => warnings.push(m), record: false },
    );
    expect(result.passages[0]!.source).toBe('returns.md');
    expect(warnings[0]).toMatch(/query embedding failed for help: offline: HTTP 503/);
  });

  it('works with a pg client inside the caller’s transaction', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await searchKnowledgeBases(client, {
        accountId: 1,
        knowledgeBases: ['help'],
        query: 'refund',
      });
      expect(result.miss).toBe(false);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
});
