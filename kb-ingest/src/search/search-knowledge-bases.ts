import type pg from 'pg';
import pgvector from 'pgvector';
import { z } from 'zod';
import { enqueueAnalyticsEvents } from '../analytics-events.js';
import { inTransaction, type Queryable } from '../db.js';
import { cachedEmbedder } from '../embedding/create-embedder.js';
import { embedTexts } from '../embedding/embed-texts.js';
import type { Embedder } from '../embedding/embedder.js';
import { findKnowledgeBases } from '../knowledge-bases/find-knowledge-bases.js';
import type { EmbeddingSettings, KnowledgeBase } from '../knowledge-bases/knowledge-base.js';
import { FUSION_WEIGHTS, fuseCandidates, type Candidate } from './fuse-candidates.js';
import { hybridSearchSql } from './hybrid-search-sql.js';

export const searchRequestSchema = z.object({
  accountId: z.number().int().positive(),
  knowledgeBases: z.array(z.string().min(1)).min(1),
  query: z.string(),
  limit: z.number().int().min(1).max(50).default(5),
  minScore: z.number().min(0).max(1).optional(),
  filter: z.record(z.string(), z.string()).optional(),
  conversationId: z.number().int().optional(),
  assistant: z.string().optional(),
});

export type SearchRequest = z.input<typeof searchRequestSchema>;

export interface Passage {
  text: string;
  /** Absolute relevance in [0, 1] (see fuseCandidates). */
  score: number;
  documentTitle: string;
  source: string;
  knowledgeBase: string;
  chunkId: string;
  metadata: Record<string, unknown>;
  /** The embedding provider of its knowledge base (scores of different embedders differ in scale). */
  embedder: EmbeddingSettings['provider'];
}

export interface SearchResult {
  passages: Passage[];
  /** True when nothing reached the minimum score: the knowledge base has no answer. */
  miss: boolean;
  latencyMs: number;
}

export interface SearchOptions {
  /** Embedder per knowledge base, instead of the one it was created with (tests). */
  embedderFor?: (settings: EmbeddingSettings) => Embedder;
  /** Record the query as a `knowledge_search` analytics event (default true). */
  record?: boolean;
  /** Candidates taken from each half of the search, per knowledge base. */
  candidates?: number;
  /** Called when the query embedding or the analytics event fails (search goes on). */
  onWarning?: (message: string) => void;
}

/**
 * Default minimum scores per embedder: what separates a paraphrased question from an unrelated
 * one. A knowledge base's own min_score wins. Offline, measured on agent-bot's 86 labelled
 * questions over two sample knowledge bases (`npm run bench offline-answers`) and on the FAQ
 * ranking test: 0.2 passes 90 % of the questions without an answer, 0.35 stops 57 % of them
 * with no answerable one lost there, but 0.25 already drops a right passage of the FAQ test
 * (top-3 22 → 21 of 25) and 0.3 three. The model reading the passages can discard a wrong one
 * and cannot recover a dropped one, so the search keeps 0.2; the offline assistant, which has
 * no model to judge, applies its own calibrated gate (agent-bot's answer-thresholds.ts). The
 * model embedders' values come from the FAQ test and their usual cosine ranges, not from real
 * vectors (no provider is reachable from this machine).
 */
export const DEFAULT_MIN_SCORE: Record<EmbeddingSettings['provider'], number> = {
  offline: 0.2,
  openai: 0.3,
  gemini: 0.4,
  'openai-compatible': 0.3,
};

/**
 * Hybrid search over an account's knowledge bases (by name; names of other accounts'
 * knowledge bases simply match nothing). The query is embedded before any database work, and
 * every SQL statement filters on the account id.
 */
export async function searchKnowledgeBases(
  db: Queryable,
  request: SearchRequest,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const started = performance.now();
  const req = searchRequestSchema.parse(request);
  const kbs = await findKnowledgeBases(db, req.accountId, req.knowledgeBases);
  if (kbs.length < new Set(req.knowledgeBases).size) {
    // Usually a typo in an assistant's configuration: worth a line in the log, not an error.
    const missing = req.knowledgeBases.filter((name) => !kbs.some((kb) => kb.name === name));
    options.onWarning?.(
      `no knowledge base ${missing.map((n) => `"${n}"`).join(', ')} in account ${req.accountId}`,
    );
  }
  const query = req.query.trim().slice(0, 2000);
  const candidates: Candidate[] = [];
  if (query !== '' && kbs.length > 0) {
    const vectors = await embedQuery(kbs, query, options);
    for (const kb of kbs)
      candidates.push(...(await searchOne(db, kb, query, vectors.get(kb.id) ?? null, req, options)));
  }
  const byName = new Map(kbs.map((kb) => [kb.name, kb]));
  const fused = fuseCandidates(candidates, (c) =>
    byName.get(c.knowledgeBase)?.embedding.provider === 'offline'
      ? FUSION_WEIGHTS.offline
      : FUSION_WEIGHTS.model,
  );
  const threshold = (name: string): number => {
    const kb = byName.get(name)!;
    return req.minScore ?? kb.minScore ?? DEFAULT_MIN_SCORE[kb.embedding.provider];
  };
  const passages = fused
    .filter((c) => c.score >= threshold(c.knowledgeBase))
    .slice(0, req.limit)
    .map((c) => ({
      text: c.content,
      score: Math.round(c.score * 1000) / 1000,
      documentTitle: c.title,
      source: c.source,
      knowledgeBase: c.knowledgeBase,
      chunkId: c.id,
      metadata: c.metadata,
      embedder: byName.get(c.knowledgeBase)!.embedding.provider,
    }));
  const latencyMs = Math.round(performance.now() - started);
  const result: SearchResult = { passages, miss: passages.length === 0, latencyMs };
  if (options.record !== false) await recordSearch(db, req, result, options);
  return result;
}

/** One embedding per distinct model, all before the first query touches the database. */
async function embedQuery(
  kbs: readonly KnowledgeBase[],
  query: string,
  options: SearchOptions,
): Promise<Map<string, number[]>> {
  const byModel = new Map<string, number[] | null>();
  const result = new Map<string, number[]>();
  for (const kb of kbs) {
    const key = JSON.stringify(kb.embedding);
    if (!byModel.has(key)) {
      try {
        const embedder = options.embedderFor?.(kb.embedding) ?? cachedEmbedder(kb.embedding);
        const embedded = await embedTexts(embedder, [query], {
          purpose: 'query',
          maxAttempts: 2,
          maxRetryDelayMs: 2000,
        });
        byModel.set(key, embedded.vectors[0]!);
      } catch (error) {
        // The full-text half still answers while an embedding provider is down.
        options.onWarning?.(`query embedding failed for ${kb.name}: ${(error as Error).message}`);
        byModel.set(key, null);
      }
    }
    const vector = byModel.get(key);
    if (vector) result.set(kb.id, vector);
  }
  return result;
}

async function searchOne(
  db: Queryable,
  kb: KnowledgeBase,
  query: string,
  vector: number[] | null,
  req: z.infer<typeof searchRequestSchema>,
  options: SearchOptions,
): Promise<Candidate[]> {
  const filtered = req.filter !== undefined && Object.keys(req.filter).length > 0;
  const sql = hybridSearchSql(kb, { filtered, withVector: vector !== null });
  const params: unknown[] = [
    vector ? pgvector.toSql(vector) : null,
    query,
    options.candidates ?? 40,
    req.accountId,
  ];
  if (filtered) params.push(JSON.stringify(req.filter));
  const rows = await withSearchSettings(db, filtered, (q) => q.query(sql, params));
  return rows.rows.map((row: Record<string, unknown>) => ({
    id: String(row.id),
    knowledgeBase: kb.name,
    content: String(row.content),
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    title: String(row.title),
    source: String(row.source),
    vectorRank: row.vector_rank === null ? null : Number(row.vector_rank),
    textRank: row.text_rank === null ? null : Number(row.text_rank),
    similarity: row.similarity === null ? null : Number(row.similarity),
    coverage: Number(row.coverage),
  }));
}

/**
 * Candidates HNSW keeps while walking the graph. The benchmark (100k clustered 384-d vectors)
 * measured recall@10 0.95-0.98 at 100 and 0.99 at 200 for about 0.1 ms more: 200.
 */
export const HNSW_EF_SEARCH = 200;

/**
 * hnsw.ef_search (and, with a metadata filter, iterative scans so filtered results still
 * fill the list) must be SET LOCAL: a session-level SET would leak to every other user of a
 * pooled connection, and on PGlite to every connection. With a pool, a short transaction of
 * its own; with a client (maybe inside the caller's transaction), defaults are kept.
 */
async function withSearchSettings<T>(
  db: Queryable,
  filtered: boolean,
  run: (q: Queryable) => Promise<T>,
): Promise<T> {
  const pool = db as Partial<pg.Pool> & { release?: unknown };
  if (typeof pool.connect !== 'function' || typeof pool.totalCount !== 'number' || pool.release)
    return run(db);
  return inTransaction(db as pg.Pool, async (client) => {
    await client.query(`SET LOCAL hnsw.ef_search = ${HNSW_EF_SEARCH}`);
    if (filtered) await client.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
    return run(client);
  });
}

/** Queries and misses feed the knowledge-gap dashboard; analytics never breaks a search. */
async function recordSearch(
  db: Queryable,
  req: z.infer<typeof searchRequestSchema>,
  result: SearchResult,
  options: SearchOptions,
): Promise<void> {
  try {
    await enqueueAnalyticsEvents(db, [
      {
        type: 'knowledge_search',
        accountId: req.accountId,
        conversationId: req.conversationId ?? null,
        assistant: req.assistant ?? null,
        payload: {
          knowledgeBases: req.knowledgeBases,
          query: req.query.slice(0, 2000),
          hits: result.passages.length,
          topScore: result.passages[0]?.score ?? null,
          outcome: result.miss ? 'miss' : 'hit',
          latencyMs: result.latencyMs,
        },
      },
    ]);
  } catch (error) {
    options.onWarning?.(`knowledge_search event not recorded: ${(error as Error).message}`);
  }
}
