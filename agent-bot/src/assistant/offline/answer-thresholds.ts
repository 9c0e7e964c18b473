/**
 * When a retrieved passage may be given as the answer, per embedder (the embedding provider of
 * the passage's knowledge base). Measured by `npm run bench offline-answers` on the labelled
 * questions in __fixtures__/labelled-questions.json (two knowledge bases); see that bench's output
 * and the agent-bot README for the figures and how these were chosen.
 */
export interface AnswerThresholds {
  /** Minimum search score (0.6 x cosine + 0.4 x share of the query's words, kb-ingest). */
  minScore: number;
  /** Minimum share of the question's words (or their paraphrases) the passage contains. */
  minCoverage: number;
  /** Minimum of score + coverage: a passage close to both minimums is not evidence enough. */
  minCombined: number;
}

export type EmbedderProvider = 'offline' | 'openai' | 'gemini' | 'openai-compatible';

/**
 * offline: chosen by the bench's grid on the labelled set (real word vectors): 93.0 % right,
 * 1.2 % wrong; each knowledge base's own choice tried on the other gives 87.8-89.2 % right and
 * at most 2 % wrong. minScore barely matters between 0.2 and 0.3 (the coverage gates decide).
 *
 * The model embedders could not be measured here (no provider is reachable from this machine):
 * their values move the offline ones by the difference in cosine scale, published for the
 * models, times the 0.6 the score gives the cosine. A question and the passage that answers it
 * score about 0.8 with the offline word vectors (in-domain text is close), about 0.45-0.6 with
 * text-embedding-3-* (unrelated text 0.1-0.25) and about 0.7 with Gemini's embedding models
 * (unrelated 0.3-0.5). minScore never goes under kb-ingest's own minimum for that embedder.
 * Re-run the bench with a knowledge base on that embedder before trusting them.
 */
export const ANSWER_THRESHOLDS: Record<EmbedderProvider, AnswerThresholds> = {
  offline: { minScore: 0.3, minCoverage: 0.5, minCombined: 1.2 },
  openai: { minScore: 0.3, minCoverage: 0.5, minCombined: 1.0 },
  gemini: { minScore: 0.4, minCoverage: 0.5, minCombined: 1.15 },
  'openai-compatible': { minScore: 0.3, minCoverage: 0.5, minCombined: 1.0 },
};

export function answerThresholdsFor(provider: string | undefined): AnswerThresholds {
  return ANSWER_THRESHOLDS[(provider ?? 'offline') as EmbedderProvider] ?? ANSWER_THRESHOLDS.offline;
}
