/** A chunk found by either half of the search. */
export interface Candidate {
  id: string;
  knowledgeBase: string;
  content: string;
  metadata: Record<string, unknown>;
  title: string;
  source: string;
  vectorRank: number | null;
  textRank: number | null;
  /** Cosine similarity with the query (null when the query could not be embedded). */
  similarity: number | null;
  /** Share of the query's words (lexemes) the chunk contains. */
  coverage: number;
}

export interface ScoredCandidate extends Candidate {
  rrf: number;
  score: number;
}

export interface FusionWeights {
  /** RRF constant. The literature's 60 flattens short lists; with 40 candidates per list
   * 10 keeps a first place worth clearly more than a fifth (FAQ test: top-1 17 → 19 of 25). */
  k: number;
  vector: number;
  text: number;
}

/**
 * Word-vector averages (the offline embedder) are weaker than the full-text ranking, so
 * with them the text list counts a little more; real embedding models get equal weights.
 */
export const FUSION_WEIGHTS: Record<'offline' | 'model', FusionWeights> = {
  offline: { k: 10, vector: 1, text: 1.25 },
  model: { k: 10, vector: 1, text: 1 },
};

/**
 * Reciprocal rank fusion orders the candidates; RRF values are relative, though, and cannot
 * say "nothing here is relevant". So each passage also gets an absolute relevance `score`
 * in [0, 1] from its cosine similarity and how many of the query's words it contains; the
 * minimum score applies to that.
 */
export function fuseCandidates(
  candidates: readonly Candidate[],
  weightsFor: (candidate: Candidate) => FusionWeights = () => FUSION_WEIGHTS.model,
): ScoredCandidate[] {
  return candidates
    .map((c) => {
      const w = weightsFor(c);
      const rrf =
        (c.vectorRank ? w.vector / (w.k + c.vectorRank) : 0) + (c.textRank ? w.text / (w.k + c.textRank) : 0);
      const similarity = Math.max(0, c.similarity ?? 0);
      const score = c.similarity === null ? c.coverage : 0.6 * similarity + 0.4 * c.coverage;
      return { ...c, rrf, score: Math.min(1, Math.max(0, score)) };
    })
    .sort((a, b) => b.rrf - a.rrf || b.score - a.score);
}
