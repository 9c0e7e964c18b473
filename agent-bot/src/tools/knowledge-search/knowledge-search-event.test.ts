import { describe, expect, it } from 'vitest';
import { buildTurn } from '../../assistant/testing/build-turn.js';
import { knowledgeSearchEvent } from './knowledge-search-event.js';
import type { KnowledgeSearchResult } from './knowledge-search.js';

const passage = {
  text: 'Unused accessories can be returned within 30 days.',
  score: 0.7,
  documentTitle: 'FAQ',
  source: 'faq.md',
  knowledgeBase: 'shop',
  chunkId: '1',
  metadata: {},
};
const found: KnowledgeSearchResult = { passages: [passage], miss: false, latencyMs: 4 };
const outcome = (result: KnowledgeSearchResult, options?: { used?: boolean }) => {
  const event = knowledgeSearchEvent(
    buildTurn('Do you rent bikes?').turn,
    ['shop'],
    'q',
    result,
    'id-1',
    options,
  );
  return (event.payload as { outcome: string }).outcome;
};

describe('knowledgeSearchEvent outcome', () => {
  it('is a miss when nothing reached the minimum score', () => {
    expect(outcome({ passages: [], miss: true, latencyMs: 3 })).toBe('miss');
  });
  it('is a miss when passages came back but the answer used none of them', () => {
    expect(outcome(found, { used: false })).toBe('miss');
  });
  it('is a hit when the answer used them, or when the caller cannot tell (the model tool)', () => {
    expect(outcome(found, { used: true })).toBe('hit');
    expect(outcome(found)).toBe('hit');
  });
});

describe('knowledgeSearchEvent query', () => {
  it('is recorded so that the same question asked differently groups together', () => {
    const query = (q: string) =>
      (knowledgeSearchEvent(buildTurn(q).turn, ['shop'], q, found, 'id-1').payload as { query: string })
        .query;
    expect(query('Do you rent bikes?')).toBe('Do you rent bikes');
    expect(query('  Do you   rent\nbikes ?? ')).toBe('Do you rent bikes');
  });
});
