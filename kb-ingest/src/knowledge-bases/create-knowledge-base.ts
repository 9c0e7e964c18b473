import type pg from 'pg';
import { z } from 'zod';
import type { SwitchboardConfig } from '@switchboard/core';
import { resolveEmbeddingSettings } from '../embedding/create-embedder.js';
import {
  accountIdSchema,
  KNOWLEDGE_BASE_COLUMNS,
  knowledgeBaseFromRow,
  KnowledgeBaseError,
  knowledgeBaseNameSchema,
  type EmbeddingSettings,
  type KnowledgeBase,
} from './knowledge-base.js';
import { resolveTextSearchLanguage } from './text-search-language.js';
import { ensureVectorIndex } from './vector-index.js';

export const createKnowledgeBaseSchema = z.strictObject({
  accountId: accountIdSchema,
  name: knowledgeBaseNameSchema,
  description: z.string().max(2000).default(''),
  /** ISO code or PostgreSQL text search configuration. */
  language: z.string().default('english'),
  embedding: z
    .strictObject({
      provider: z.enum(['offline', 'openai', 'gemini', 'openai-compatible']).default('offline'),
      model: z.string().min(1).optional(),
      dimensions: z.number().int().min(1).max(4000).optional(),
      baseUrl: z.string().url().optional(),
      apiKeyEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/)
        .optional(),
    })
    .default({ provider: 'offline' }),
  minScore: z.number().min(0).max(1).optional(),
  /** Return the existing knowledge base instead of failing when the name is taken. */
  ifNotExists: z.boolean().default(false),
});

export type CreateKnowledgeBaseInput = z.input<typeof createKnowledgeBaseSchema>;

/** Creates a knowledge base and its own vector index. */
export async function createKnowledgeBase(
  pool: pg.Pool,
  input: CreateKnowledgeBaseInput,
): Promise<KnowledgeBase> {
  const request = createKnowledgeBaseSchema.parse(input);
  const embedding = resolveEmbeddingSettings(
    request.embedding as SwitchboardConfig['knowledge']['embedding'],
  );
  const language = await resolveTextSearchLanguage(pool, request.language);
  const existing = await pool.query(
    `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM kb_knowledge_bases WHERE account_id = $1 AND name = $2 AND state = 'active'`,
    [request.accountId, request.name],
  );
  if (existing.rows.length > 0) {
    if (request.ifNotExists) return knowledgeBaseFromRow(existing.rows[0]);
    throw new KnowledgeBaseError(
      `Knowledge base "${request.name}" already exists in account ${request.accountId}.`,
    );
  }
  return insertKnowledgeBase(pool, {
    accountId: request.accountId,
    name: request.name,
    description: request.description,
    language,
    embedding,
    minScore: request.minScore ?? null,
    state: 'active',
    replacesId: null,
  });
}

/** Also used by re-embedding, which builds a replacement in state `building`. */
export async function insertKnowledgeBase(
  pool: pg.Pool,
  kb: Pick<
    KnowledgeBase,
    'accountId' | 'name' | 'description' | 'language' | 'minScore' | 'state' | 'replacesId'
  > & {
    embedding: EmbeddingSettings;
  },
): Promise<KnowledgeBase> {
  let inserted;
  try {
    inserted = await pool.query(
      `INSERT INTO kb_knowledge_bases
         (account_id, name, description, language, embedding_provider, embedding_model, dimensions,
          embedding_options, min_score, state, replaces_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${KNOWLEDGE_BASE_COLUMNS}`,
      [
        kb.accountId,
        kb.name,
        kb.description,
        kb.language,
        kb.embedding.provider,
        kb.embedding.model,
        kb.embedding.dimensions,
        JSON.stringify({
          ...(kb.embedding.baseUrl ? { baseUrl: kb.embedding.baseUrl } : {}),
          ...(kb.embedding.apiKeyEnv ? { apiKeyEnv: kb.embedding.apiKeyEnv } : {}),
        }),
        kb.minScore,
        kb.state,
        kb.replacesId,
      ],
    );
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new KnowledgeBaseError(`Knowledge base "${kb.name}" already exists in account ${kb.accountId}.`);
    }
    throw error;
  }
  const created = knowledgeBaseFromRow(inserted.rows[0]);
  // Built after the row is committed, concurrently: a knowledge base whose index is still
  // missing (a crash in between) searches correctly, only slower, and every upload
  // re-ensures the index.
  try {
    await ensureVectorIndex(pool, created, { concurrently: true });
  } catch (error) {
    await pool.query('DELETE FROM kb_knowledge_bases WHERE id = $1', [created.id]).catch(() => undefined);
    throw error;
  }
  return created;
}
