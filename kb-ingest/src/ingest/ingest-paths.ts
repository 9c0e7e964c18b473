import type pg from 'pg';
import { z } from 'zod';
import { accountIdSchema, knowledgeBaseNameSchema } from '../knowledge-bases/knowledge-base.js';
import { requireKnowledgeBase } from '../knowledge-bases/find-knowledge-bases.js';
import { collectSources } from './collect-sources.js';
import { DEFAULT_INGEST, ingestSources, type IngestOptions, type IngestSummary } from './ingest-sources.js';
import { pruneDocuments } from './prune-documents.js';
import type { SourceRef } from './source-ref.js';

export interface IngestPathsOptions extends IngestOptions {
  /** Most pages taken from one sitemap. */
  maxSitemapPages?: number;
  /** Delete documents of the knowledge base that are not among these paths. */
  prune?: boolean;
}

const targetSchema = z.object({ accountId: accountIdSchema, kb: knowledgeBaseNameSchema });

/**
 * Uploads files, folders and URLs (pages or sitemaps) into a knowledge base; re-running it is
 * a sync: new documents are added, changed ones replaced, unchanged ones skipped, and with
 * `prune` documents that are no longer there are removed.
 */
export async function ingestPaths(
  pool: pg.Pool,
  request: { accountId: number; kb: string; paths: readonly string[] } & IngestPathsOptions,
): Promise<IngestSummary> {
  const { accountId, kb: name } = targetSchema.parse(request);
  const kb = await requireKnowledgeBase(pool, accountId, name);
  const collected = await collectSources(request.paths, {
    maxPages: request.maxSitemapPages ?? 50,
    timeoutMs: request.fetchTimeoutMs ?? DEFAULT_INGEST.fetchTimeoutMs,
    maxBytes: request.maxFileBytes ?? DEFAULT_INGEST.maxFileBytes,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const summary = await ingestSources(pool, kb, collected.refs, request);
  summary.failures.unshift(...collected.failures);
  summary.failed += collected.failures.length;
  summary.skipped = collected.skipped;
  // Pruning after a partial listing would delete documents that merely failed to list.
  if (request.prune && !summary.interrupted && collected.failures.length === 0) {
    const pruned = await pruneDocuments(
      pool,
      kb,
      collected.refs.map((r) => r.source),
    );
    summary.pruned = pruned.length;
  }
  return summary;
}

/** Strings as documents (the playground's sample knowledge base, tests, integrations). */
export async function ingestTexts(
  pool: pg.Pool,
  request: {
    accountId: number;
    kb: string;
    documents: ReadonlyArray<Omit<Extract<SourceRef, { kind: 'text' }>, 'kind'>>;
    prune?: boolean;
  } & IngestOptions,
): Promise<IngestSummary> {
  const { accountId, kb: name } = targetSchema.parse(request);
  const kb = await requireKnowledgeBase(pool, accountId, name);
  const refs: SourceRef[] = request.documents.map((d) => ({ kind: 'text', ...d }));
  const summary = await ingestSources(pool, kb, refs, request);
  if (request.prune && !summary.interrupted) {
    summary.pruned = (
      await pruneDocuments(
        pool,
        kb,
        refs.map((r) => r.source),
      )
    ).length;
  }
  return summary;
}
