export const EMBEDDING_PROVIDERS = ['offline', 'openai', 'gemini', 'openai-compatible'] as const;
export type EmbeddingProviderName = (typeof EMBEDDING_PROVIDERS)[number];

/** What a knowledge base is embedded with; stored in its row so search uses the same model. */
export interface EmbeddingSettings {
  provider: EmbeddingProviderName;
  model: string;
  dimensions: number;
  baseUrl?: string;
  /** Name of the environment variable holding the API key. */
  apiKeyEnv?: string;
}
