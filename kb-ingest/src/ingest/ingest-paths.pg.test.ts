import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '../embedding/offline-embedder.js';
import { createKnowledgeBase } from '../knowledge-bases/create-knowledge-base.js';
import { requireKnowledgeBase } from '../knowledge-bases/find-knowledge-bases.js';
import { searchKnowledgeBases } from '../search/search-knowledge-bases.js';
import { countingEmbedder, downEmbedder } from '../testing/fake-embedders.js';
import { makePdf } from '../testing/sample-files.js';
import { ingestPaths, ingestTexts } from './ingest-paths.js';

const noWait = { sleep: async () => undefined, maxAttempts: 2 };

describe('sync: upload, re-upload, change, prune', () => {
  let db: TestDatabase;
  let dir: string;
  const offline = createOfflineEmbedder();
  const write = (name: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  const documents = async () =>
    (
      await db.pool.query<{ source: string; version: number; chunk_count: number; checksum: string }>(
        'SELECT source, version, chunk_count, checksum FROM kb_documents ORDER BY source',
      )
    ).rows;
  const chunkCount = async () =>
    Number((await db.pool.query('SELECT count(*) AS n FROM kb_chunks')).rows[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-sync-'));
    write(
      'shipping.md',
      '# Shipping\n\n## Abroad\nWe ship to 40 countries.\n\n## Cost\nStandard delivery costs 4.99.',
    );
    write('returns/policy.md', '# Returns\nReturn unused items within 30 days for a full refund.');
    write('warranty.pdf', makePdf([['Warranty', 'Appliances have a two-year warranty.']]));
    write('logo.png', 'PNG');
    await createKnowledgeBase(db.pool, { accountId: 1, name: 'help', embedding: { provider: 'offline' } });
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds every supported file of a folder, named by its relative path, and skips the others', async () => {
    const embedder = countingEmbedder(offline);
    const summary = await ingestPaths(db.pool, { accountId: 1, kb: 'help', paths: [dir], embedder });
    expect(summary).toMatchObject({ added: 3, updated: 0, unchanged: 0, failed: 0, skipped: ['logo.png'] });
    expect((await documents()).map((d) => [d.source, d.version])).toEqual([
      ['returns/policy.md', 1],
      ['shipping.md', 1],
      ['warranty.pdf', 1],
    ]);
    expect(await chunkCount()).toBe(summary.chunks);
    expect(embedder.texts).toHaveLength(summary.chunks);
    expect(embedder.texts).toContain('Shipping > Abroad\nWe ship to 40 countries.');
  });

  it('re-uploading unchanged files embeds nothing', async () => {
    const embedder = countingEmbedder(offline);
    const summary = await ingestPaths(db.pool, { accountId: 1, kb: 'help', paths: [dir], embedder });
    expect(summary).toMatchObject({ added: 0, updated: 0, unchanged: 3, failed: 0, chunks: 0 });
    expect(embedder.texts).toEqual([]);
  });

  it('replaces a changed document (new version, old chunks gone) and only re-embeds that one', async () => {
    write('shipping.md', '# Shipping\n\n## Abroad\nWe ship to 55 countries now.');
    const embedder = countingEmbedder(offline);
    const summary = await ingestPaths(db.pool, { accountId: 1, kb: 'help', paths: [dir], embedder });
    expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 2 });
    expect(embedder.texts).toEqual(['Shipping > Abroad\nWe ship to 55 countries now.']);
    const shipping = (await documents()).find((d) => d.source === 'shipping.md')!;
    expect(shipping).toMatchObject({ version: 2, chunk_count: 1 });
    const texts = (await db.pool.query('SELECT content FROM kb_chunks ORDER BY id')).rows.map(
      (r) => r.content as string,
    );
    expect(texts.some((t) => t.includes('4.99'))).toBe(false);
  });

  it('a different chunk size re-processes documents even though their bytes did not change', async () => {
    const summary = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir],
      chunkSize: 300,
      embedder: offline,
    });
    expect(summary.updated).toBe(3);
  });

  it('--prune removes documents that disappeared; without it they stay', async () => {
    fs.rmSync(path.join(dir, 'returns'), { recursive: true });
    let summary = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir],
      chunkSize: 300,
      embedder: offline,
    });
    expect(summary.pruned).toBe(0);
    expect((await documents()).map((d) => d.source)).toContain('returns/policy.md');
    summary = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir],
      chunkSize: 300,
      prune: true,
      embedder: offline,
    });
    expect(summary).toMatchObject({ pruned: 1, unchanged: 2 });
    expect((await documents()).map((d) => d.source)).toEqual(['shipping.md', 'warranty.pdf']);
    expect(
      Number(
        (
          await db.pool.query(
            `SELECT count(*) AS n FROM kb_chunks c LEFT JOIN kb_documents d ON d.id = c.document_id WHERE d.id IS NULL`,
          )
        ).rows[0].n,
      ),
    ).toBe(0);
  });

  it('an embedding outage fails the document and keeps its previous version whole and searchable', async () => {
    write('shipping.md', '# Shipping\n\n## Abroad\nWe ship to 70 countries.');
    const before = await documents();
    const summary = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir],
      chunkSize: 300,
      embedder: downEmbedder(offline),
      embedOptions: noWait,
    });
    expect(summary).toMatchObject({ updated: 0, failed: 1, unchanged: 1 });
    expect(summary.failures).toEqual([
      { source: 'shipping.md', reason: 'offline: HTTP 503: The server is overloaded' },
    ]);
    expect(await documents()).toEqual(before);
    const result = await searchKnowledgeBases(
      db.pool,
      { accountId: 1, knowledgeBases: ['help'], query: 'how many countries do you ship to' },
      { record: false },
    );
    expect(result.passages[0]!.text).toContain('55 countries');
    // The failure is visible to analytics as well.
    const events = await db.pool.query(
      `SELECT event FROM analytics_outbox WHERE event_type = 'embedding' AND event->'payload'->>'outcome' = 'error'`,
    );
    expect(events.rows).toHaveLength(1);
    // Next run (provider back) catches up.
    const retry = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir],
      chunkSize: 300,
      embedder: offline,
    });
    expect(retry).toMatchObject({ updated: 1, failed: 0 });
  });

  it('one bad file fails alone with its reason; the run goes on and reports it', async () => {
    write('broken.pdf', '%PDF-1.7 truncated');
    write('empty.md', '');
    const summary = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir, path.join(dir, 'logo.png'), path.join(dir, 'nope.md')],
      chunkSize: 300,
      embedder: offline,
    });
    expect(summary.failures.map((f) => f.source).sort()).toEqual(
      ['broken.pdf', 'empty.md', 'logo.png', path.join(dir, 'nope.md')].sort(),
    );
    expect(summary.failures.find((f) => f.source === 'empty.md')!.reason).toBe('empty file');
    expect(summary.failed).toBe(4);
    expect(summary.unchanged).toBe(2);
    fs.rmSync(path.join(dir, 'broken.pdf'));
    fs.rmSync(path.join(dir, 'empty.md'));
  });

  it('stops cleanly when interrupted and a re-run resumes where it stopped', async () => {
    for (let i = 0; i < 6; i++)
      write(`batch/note-${i}.md`, `# Note ${i}\nThis is note number ${i} about gift cards.`);
    const controller = new AbortController();
    const embedder = countingEmbedder(offline);
    const summary = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir],
      chunkSize: 300,
      embedder,
      onProgress: (p) => {
        if (p.sourcesDone === 3) controller.abort();
      },
      signal: controller.signal,
    });
    expect(summary.interrupted).toBe(true);
    expect(summary.added).toBe(3);
    const resumed = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'help',
      paths: [dir],
      chunkSize: 300,
      prune: true,
      embedder,
    });
    expect(resumed).toMatchObject({ added: 3, unchanged: 5, interrupted: false, pruned: 0 });
    expect((await documents()).filter((d) => d.source.startsWith('batch/'))).toHaveLength(6);
  });

  it('records an embedding event with cost per replaced document, in the same transaction', async () => {
    await createKnowledgeBase(db.pool, {
      accountId: 1,
      name: 'paid',
      embedding: { provider: 'openai', model: 'text-embedding-3-small', dimensions: 100 },
    });
    // An OpenAI-priced knowledge base with vectors from the offline table (no network in tests).
    const fake = {
      ...offline,
      provider: 'openai' as const,
      model: 'text-embedding-3-small',
      embed: async (t: string[]) => ({ ...(await offline.embed(t)), tokens: 500_000 }),
    };
    const summary = await ingestTexts(db.pool, {
      accountId: 1,
      kb: 'paid',
      documents: [
        { source: 'hours', title: 'Opening hours', text: 'We open at 9.', metadata: { topic: 'store' } },
      ],
      embedder: fake,
    });
    expect(summary.costUsd).toBe('0.01');
    const { rows } = await db.pool.query(
      `SELECT event FROM analytics_outbox WHERE event_type = 'embedding' AND event->'payload'->>'knowledgeBase' = 'paid'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].event).toMatchObject({
      accountId: 1,
      costUsd: '0.010000000000',
      costKind: 'embedding',
      payload: {
        provider: 'openai',
        model: 'text-embedding-3-small',
        inputs: 1,
        tokens: 500000,
        outcome: 'ok',
      },
    });
    const kb = await requireKnowledgeBase(db.pool, 1, 'paid');
    const chunk = await db.pool.query('SELECT metadata FROM kb_chunks WHERE knowledge_base_id = $1', [kb.id]);
    expect(chunk.rows[0].metadata).toEqual({ topic: 'store' });
  });
});
