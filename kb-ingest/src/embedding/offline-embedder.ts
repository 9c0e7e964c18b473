import type { Embedder, EmbeddingResult } from './embedder.js';
import { loadWordVectorTable, zipfProbability, type WordVectorTable } from './word-vector-table.js';

export const OFFLINE_MODEL = 'wink-sg-100d-sif';

/** SIF weight a / (a + p(word)): frequent words count little, rare ones nearly fully. */
const SIF_A = 3e-4;

/**
 * Sentence vectors from English word vectors with no network and no key: the SIF recipe
 * (Arora et al. 2017): a frequency-weighted average of word vectors, minus the component every
 * average shares. Weak next to a real embedding model, which is why search is hybrid.
 */
export function createOfflineEmbedder(table: WordVectorTable = loadWordVectorTable()): Embedder {
  const weights = new Float32Array(table.size);
  for (let i = 0; i < table.size; i++) weights[i] = SIF_A / (SIF_A + zipfProbability(i, table.size));
  return {
    provider: 'offline',
    model: OFFLINE_MODEL,
    dimensions: table.dimensions,
    maxBatchSize: 1024,
    embed(texts: string[]): Promise<EmbeddingResult> {
      let tokens = 0;
      const vectors = texts.map((text) => {
        const { vector, count } = embedText(table, weights, text);
        tokens += count;
        return vector;
      });
      return Promise.resolve({ vectors, tokens });
    },
  };
}

export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []
  );
}

function embedText(
  table: WordVectorTable,
  weights: Float32Array,
  text: string,
): { vector: number[]; count: number } {
  const d = table.dimensions;
  const sum = new Float64Array(d);
  const words = tokenize(text);
  for (const word of words) {
    let row = table.index.get(word);
    // "returns" → "return", "shipping" stays: a cheap stand-in for lemmatisation.
    if (row === undefined && word.endsWith('s')) row = table.index.get(word.slice(0, -1));
    if (row === undefined) continue;
    const w = weights[row]!;
    const offset = row * d;
    for (let i = 0; i < d; i++) sum[i] = sum[i]! + w * table.vectors[offset + i]!;
  }
  // Remove the shared direction, then unit length (cosine distance in the database).
  let dot = 0;
  let commonNorm = 0;
  for (let i = 0; i < d; i++) {
    dot += sum[i]! * table.common[i]!;
    commonNorm += table.common[i]! * table.common[i]!;
  }
  const scale = commonNorm > 0 ? dot / commonNorm : 0;
  let norm = 0;
  for (let i = 0; i < d; i++) {
    sum[i] = sum[i]! - scale * table.common[i]!;
    norm += sum[i]! * sum[i]!;
  }
  norm = Math.sqrt(norm);
  // An all-unknown text still needs a valid vector: a tiny constant one (cosine stays defined).
  const vector = norm > 1e-9 ? Array.from(sum, (v) => v / norm) : new Array<number>(d).fill(1 / Math.sqrt(d));
  return { vector, count: words.length };
}
