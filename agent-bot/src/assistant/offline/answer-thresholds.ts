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

export const ANSWER_THRESHOLDS: Record<EmbedderProvider, AnswerThresholds> = {
  offline: { minScore: 0.3, minCoverage: 0.5, minCombined: 1.2 },
  openai: { minScore: 0.35, minCoverage: 0.5, minCombined: 1 },
  gemini: { minScore: 0.45, minCoverage: 0.5, minCombined: 1.1 },
  'openai-compatible': { minScore: 0.35, minCoverage: 0.5, minCombined: 1 },
};

export function answerThresholdsFor(provider: string | undefined): AnswerThresholds {
  return ANSWER_THRESHOLDS[(provider ?? 'offline') as EmbedderProvider] ?? ANSWER_THRESHOLDS.offline;
}
