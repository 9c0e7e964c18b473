import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '@switchboard/core';
import { REPO_ROOT } from '@switchboard/core';
import { createKnowledgeBase, ingestPaths } from '@switchboard/kb-ingest';

/**
 * On first start, the playground's knowledge base is created and the sample documents ingested
 * with the offline embedder; on later starts the same call is a sync that re-embeds nothing
 * unless a sample file changed.
 */
export async function ensureSampleKnowledge(
  pool: pg.Pool,
  logger: Logger,
  options: { accountId: number; knowledgeBase: string; path: string },
): Promise<void> {
  await createKnowledgeBase(pool, {
    accountId: options.accountId,
    name: options.knowledgeBase,
    description: 'Sample knowledge base of the local playground',
    language: 'english',
    ifNotExists: true,
  });
  const folder = path.resolve(REPO_ROOT, options.path);
  const summary = await ingestPaths(pool, {
    accountId: options.accountId,
    kb: options.knowledgeBase,
    paths: [folder],
  });
  logger.info(
    { added: summary.added, updated: summary.updated, unchanged: summary.unchanged, failed: summary.failed },
    `knowledge base "${options.knowledgeBase}" in sync with ${options.path}`,
  );
}
