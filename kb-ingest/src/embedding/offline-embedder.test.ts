import { beforeAll, describe, expect, it } from 'vitest';
import { createOfflineEmbedder, tokenize } from './offline-embedder.js';
import { defaultWordVectorCachePath, loadWordVectorTable, readWordVectorTable } from './word-vector-table.js';

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

describe('offline embedder', () => {
  // Builds the table on a fresh checkout: seconds, so in a hook with a long timeout.
  beforeAll(() => void loadWordVectorTable());

  it('turns sentences into unit 100-d vectors where paraphrases are closer than unrelated text', async () => {
    const embedder = createOfflineEmbedder(loadWordVectorTable());
    const { vectors, tokens } = await embedder.embed([
      'When will I get my refund?',
      'Refunds are credited to your card within 5 to 7 business days.',
      'Our shops open Monday to Saturday from 9 am.',
      'zzqx qqzx',
    ]);
    expect(vectors.every((v) => v.length === 100)).toBe(true);
    expect(vectors.every((v) => Math.abs(cosine(v, v) - 1) < 1e-6)).toBe(true);
    expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[2]!) + 0.1);
    expect(tokens).toBe(6 + 12 + 9 + 2);
  });

  it('reads the compact table back exactly as built (and reports how fast it loads)', () => {
    const started = performance.now();
    const table = readWordVectorTable(defaultWordVectorCachePath());
    console.log(
      `word-vector table: ${table.size} words, loaded in ${Math.round(performance.now() - started)} ms`,
    );
    expect(table.dimensions).toBe(100);
    expect(table.index.get('the')).toBe(0);
    const row = table.index.get('refund')!;
    const v = table.vectors.subarray(row * 100, row * 100 + 100);
    expect(Math.abs(v.reduce((s, x) => s + x * x, 0) - 1)).toBeLessThan(1e-4);
  });

  it('tokenizes accents and apostrophes the way the vocabulary spells words', () => {
    expect(tokenize("Don't café RÉSUMÉ 42x")).toEqual(["don't", 'cafe', 'resume', '42x']);
  });
});
