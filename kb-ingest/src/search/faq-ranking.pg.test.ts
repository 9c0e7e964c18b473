import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../knowledge-bases/create-knowledge-base.js';
import { ingestPaths } from '../ingest/ingest-paths.js';
import { searchKnowledgeBases } from './search-knowledge-bases.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const questions = JSON.parse(fs.readFileSync(path.join(fixtures, 'faq-questions.json'), 'utf8')) as Array<{
  question: string;
  expected: string;
}>;

/**
 * Ranking quality with the offline embedder (what the playground and the offline assistant
 * use): customers' paraphrases of an FAQ, the right answer's heading expected in the top 1/3.
 */
describe('hybrid ranking on a small FAQ (offline embedder)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await createKnowledgeBase(db.pool, { accountId: 1, name: 'faq' });
    const summary = await ingestPaths(db.pool, {
      accountId: 1,
      kb: 'faq',
      paths: [path.join(fixtures, 'faq.md')],
    });
    expect(summary.added).toBe(1);
  });
  afterAll(async () => db?.drop());

  it('puts the right answer first for most paraphrased questions', async () => {
    let top1 = 0;
    let top3 = 0;
    const misses: string[] = [];
    for (const { question, expected } of questions) {
      const result = await searchKnowledgeBases(db.pool, {
        accountId: 1,
        knowledgeBases: ['faq'],
        query: question,
        limit: 3,
      });
      const rank = result.passages.findIndex((p) => p.text.includes(expected));
      if (rank === 0) top1 += 1;
      if (rank >= 0 && rank < 3) top3 += 1;
      else misses.push(`${question} → ${result.passages[0]?.text.split('\n')[1] ?? '(miss)'}`);
    }
    const n = questions.length;
    console.log(
      `FAQ ranking (offline embedder, ${n} questions): top-1 ${top1}/${n} (${((100 * top1) / n).toFixed(0)}%), top-3 ${top3}/${n} (${((100 * top3) / n).toFixed(0)}%)`,
    );
    if (misses.length) console.log(`not in top 3:\n  ${misses.join('\n  ')}`);
    expect(top1 / n).toBeGreaterThanOrEqual(0.6);
    expect(top3 / n).toBeGreaterThanOrEqual(0.8);
  });

  it('answers "nothing relevant" to questions the FAQ does not cover', async () => {
    for (const query of [
      'What is the capital of Mongolia?',
      'quantum entanglement',
      'Who won the football match yesterday?',
    ]) {
      const result = await searchKnowledgeBases(db.pool, { accountId: 1, knowledgeBases: ['faq'], query });
      expect(result.miss, `${query}: ${JSON.stringify(result.passages[0]?.score)}`).toBe(true);
      expect(result.passages).toEqual([]);
    }
  });
});
