import { Document } from '@langchain/core/documents';
import { describe, expect, it } from 'vitest';
import { splitMarkdownSections } from './markdown-sections.js';
import { splitIntoChunks } from './split-into-chunks.js';

describe('splitMarkdownSections', () => {
  it('tracks the heading path and ignores # inside code fences', () => {
    const sections = splitMarkdownSections(
      [
        'Intro line',
        '# Shipping',
        'General.',
        '## Abroad',
        'We ship to 40 countries.',
        '```',
        '# not a heading',
        '```',
        '# Returns',
        '30 days.',
      ].join('\n'),
    );
    expect(sections).toEqual([
      { headings: [], body: 'Intro line' },
      { headings: ['Shipping'], body: 'General.' },
      { headings: ['Shipping', 'Abroad'], body: 'We ship to 40 countries.\n```\n# not a heading\n```' },
      { headings: ['Returns'], body: '30 days.' },
    ]);
  });
});

describe('splitIntoChunks', () => {
  it('never mixes two sections and starts every chunk with its heading path', async () => {
    const long = Array.from(
      { length: 40 },
      (_, i) => `Sentence number ${i} about international delivery times.`,
    ).join(' ');
    const doc = new Document({
      pageContent: `# Shipping\n## Abroad\n${long}\n## Cost\nStandard 4.99.`,
      metadata: { page: 1 },
    });
    const chunks = await splitIntoChunks([doc], { chunkSize: 400, chunkOverlap: 50 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(chunk.content.length).toBeLessThanOrEqual(400);
    const abroad = chunks.filter((c) => c.content.startsWith('Shipping > Abroad\n'));
    expect(abroad.length).toBe(chunks.length - 1);
    expect(abroad.every((c) => !c.content.includes('4.99'))).toBe(true);
    expect(chunks.at(-1)).toEqual({
      content: 'Shipping > Cost\nStandard 4.99.',
      metadata: { page: 1, section: 'Shipping > Cost' },
    });
    // Overlap: consecutive pieces share text.
    const [a, b] = abroad.map((c) => c.content.split('\n')[1]!);
    expect(a!.slice(-30)).not.toBe('');
    expect(b!.includes(a!.slice(-20).trim().split(' ').at(-1)!)).toBe(true);
  });

  it('keeps a record whole, even with # lines, unless it is longer than a chunk', async () => {
    const record = new Document({
      pageContent: 'sku: A1\nnote: # not a heading',
      metadata: { row: 1, record: true },
    });
    const chunks = await splitIntoChunks([record], { chunkSize: 500, chunkOverlap: 0 });
    expect(chunks).toEqual([
      { content: 'sku: A1\nnote: # not a heading', metadata: { row: 1, record: true } },
    ]);
  });
});
