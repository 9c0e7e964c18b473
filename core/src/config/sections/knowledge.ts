import { z } from 'zod';

/**
 * Knowledge bases (owned by kb-ingest). Defaults for new knowledge bases and for ingestion;
 * a knowledge base keeps the embedding model it was created with (stored in its row), so
 * changing `embedding` here only affects knowledge bases created or re-embedded afterwards.
 * API keys are never stored: a knowledge base names the environment variable that holds one.
 */
export const embeddingConfigSchema = z.strictObject({
  provider: z.enum(['offline', 'openai', 'gemini', 'openai-compatible']).default('offline'),
  model: z.string().min(1).optional(),
  /** Output dimensions, for models that can shorten their vectors (text-embedding-3-*, Gemini). */
  dimensions: z.coerce.number().int().min(1).max(4000).optional(),
  /** For openai-compatible endpoints. */
  baseUrl: z.string().url().optional(),
  /** Name of the environment variable holding the key (never the key itself). */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
    .optional(),
});

export const knowledgeSchema = z
  .strictObject({
    embedding: embeddingConfigSchema.default({ provider: 'offline' }),
    chunkSize: z.coerce.number().int().min(100).max(8000).default(1000),
    chunkOverlap: z.coerce.number().int().min(0).max(2000).default(150),
    maxFileBytes: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 * 1024),
    fetchTimeoutMs: z.coerce.number().int().positive().default(15_000),
    maxSitemapPages: z.coerce.number().int().positive().default(50),
    /** Texts per embedding request. */
    embeddingBatchSize: z.coerce.number().int().min(1).max(2048).default(96),
    /** Client-side limit on embedding requests (stay under a provider tier's RPM); unset: none. */
    embeddingRequestsPerMinute: z.coerce.number().int().positive().optional(),
  })
  .default({
    embedding: { provider: 'offline' },
    chunkSize: 1000,
    chunkOverlap: 150,
    maxFileBytes: 20 * 1024 * 1024,
    fetchTimeoutMs: 15_000,
    maxSitemapPages: 50,
    embeddingBatchSize: 96,
  });

export type KnowledgeConfig = z.infer<typeof knowledgeSchema>;
export type EmbeddingConfig = z.infer<typeof embeddingConfigSchema>;
