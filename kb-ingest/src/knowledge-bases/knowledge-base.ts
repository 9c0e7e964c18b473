import { z } from 'zod';

import { EMBEDDING_PROVIDERS, type EmbeddingSettings } from '../embedding/embedding-settings.js';

export { EMBEDDING_PROVIDERS } from '../embedding/embedding-settings.js';
export type { EmbeddingProviderName, EmbeddingSettings } from '../embedding/embedding-settings.js';
export { KnowledgeBaseError } from '../knowledge-base-error.js';

export interface KnowledgeBase {
  id: string;
  accountId: number;
  name: string;
  description: string;
  /** PostgreSQL text search configuration used for the full-text half of search. */
  language: string;
  embedding: EmbeddingSettings;
  minScore: number | null;
  state: 'active' | 'building';
  replacesId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const knowledgeBaseNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    'letters, digits, "_", "." and "-" (up to 100), starting with a letter or digit',
  );

export const accountIdSchema = z.coerce.number().int().positive();

const rowSchema = z.object({
  id: z.coerce.string(),
  account_id: z.coerce.number(),
  name: z.string(),
  description: z.string(),
  language: z.string().regex(/^[a-z_]+$/),
  embedding_provider: z.enum(EMBEDDING_PROVIDERS),
  embedding_model: z.string(),
  dimensions: z.number().int(),
  embedding_options: z.object({ baseUrl: z.string().optional(), apiKeyEnv: z.string().optional() }).loose(),
  min_score: z.number().nullable(),
  state: z.enum(['active', 'building']),
  replaces_id: z.coerce.string().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});

export const KNOWLEDGE_BASE_COLUMNS =
  'id, account_id, name, description, language, embedding_provider, embedding_model, dimensions, ' +
  'embedding_options, min_score, state, replaces_id, created_at, updated_at';

/** Rows are parsed, not cast: `language` and `dimensions` end up inlined in SQL. */
export function knowledgeBaseFromRow(row: unknown): KnowledgeBase {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    description: r.description,
    language: r.language,
    embedding: {
      provider: r.embedding_provider,
      model: r.embedding_model,
      dimensions: r.dimensions,
      ...(r.embedding_options.baseUrl ? { baseUrl: r.embedding_options.baseUrl } : {}),
      ...(r.embedding_options.apiKeyEnv ? { apiKeyEnv: r.embedding_options.apiKeyEnv } : {}),
    },
    minScore: r.min_score,
    state: r.state,
    replacesId: r.replaces_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
