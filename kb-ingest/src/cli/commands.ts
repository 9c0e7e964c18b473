import { InvalidArgumentError, Option, type Command } from 'commander';
import { createKnowledgeBase } from '../knowledge-bases/create-knowledge-base.js';
import { deleteDocument, deleteKnowledgeBase } from '../knowledge-bases/delete-knowledge-base.js';
import { listKnowledgeBases, requireKnowledgeBase } from '../knowledge-bases/find-knowledge-bases.js';
import { knowledgeBaseStats } from '../knowledge-bases/knowledge-base-stats.js';
import { KnowledgeBaseError } from '../knowledge-bases/knowledge-base.js';
import { ingestPaths } from '../ingest/ingest-paths.js';
import { reembedKnowledgeBase } from '../ingest/reembed-knowledge-base.js';
import { searchKnowledgeBases } from '../search/search-knowledge-bases.js';
import type { CliContext } from './cli-context.js';
import { describeEmbedding, formatSummary, table } from './format.js';
import { createProgressReporter } from './progress.js';

type Run = (options: Record<string, unknown>, args: string[]) => Promise<number>;
type Wrap = (run: Run) => (...args: unknown[]) => Promise<void>;

const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
  return n;
};
const num = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
};
const pairs = (value: string, previous: Record<string, string> = {}) => {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
};
const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

const account = () => new Option('--account <id>', 'Chatwoot account id').argParser(int('--account'));
const embedderOptions = (command: Command) =>
  command
    .addOption(
      new Option('--embedder <provider>', 'embedding provider').choices([
        'offline',
        'openai',
        'gemini',
        'openai-compatible',
      ]),
    )
    .option('--model <model>', "embedding model (default: the provider's)")
    .option('--dimensions <n>', 'vector dimensions', int('--dimensions'))
    .option('--base-url <url>', 'API base URL (openai-compatible)')
    .option('--api-key-env <NAME>', 'environment variable that holds the API key');

function embeddingFrom(ctx: CliContext, o: Record<string, unknown>) {
  const base = ctx.config.knowledge.embedding;
  const provider = (o.embedder as typeof base.provider | undefined) ?? base.provider;
  const sameProvider = provider === base.provider;
  const pick = <T>(value: T | undefined, fallback: T | undefined) =>
    value ?? (sameProvider ? fallback : undefined);
  const model = pick(o.model as string | undefined, base.model);
  const dimensions = pick(o.dimensions as number | undefined, base.dimensions);
  const baseUrl = pick(o.baseUrl as string | undefined, base.baseUrl);
  const apiKeyEnv = pick(o.apiKeyEnv as string | undefined, base.apiKeyEnv);
  return {
    provider,
    ...(model ? { model } : {}),
    ...(dimensions ? { dimensions } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
  };
}

function need<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new KnowledgeBaseError(`${flag} is required.`);
  return value;
}

/** Ctrl-C once: finish the current document and stop cleanly; twice: leave now (the open transaction rolls back). */
function interruptible(ctx: CliContext): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    ctx.io.stderr.write('\nStopping after the current document (Ctrl-C again to quit now)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

export function registerCommands(program: Command, ctxFor: () => CliContext, wrap: Wrap): void {
  program
    .command('create')
    .description('create a knowledge base')
    .addOption(account())
    .requiredOption('--kb <name>', 'knowledge base name')
    .option('--description <text>', 'what it contains', '')
    .option(
      '--language <lang>',
      'language for full-text search (en, es, pt, ... or a PostgreSQL configuration)',
      'english',
    )
    .option('--min-score <score>', 'minimum relevance score for search (0-1)', num)
    .option('--if-not-exists', 'succeed when it already exists')
    .hook('preAction', () => undefined)
    .action(
      wrap(async (o) => {
        const ctx = ctxFor();
        const embedderCommand = embeddingFrom(ctx, o);
        const db = await ctx.database();
        const kb = await createKnowledgeBase(db.pool, {
          accountId: need(o.account as number, '--account'),
          name: o.kb as string,
          description: o.description as string,
          language: o.language as string,
          embedding: embedderCommand,
          ...(o.minScore !== undefined ? { minScore: o.minScore as number } : {}),
          ifNotExists: Boolean(o.ifNotExists),
        });
        ctx.print(
          `Knowledge base "${kb.name}" (account ${kb.accountId}): ${describeEmbedding(kb)}, language ${kb.language}`,
          kb,
        );
        return 0;
      }),
    );
  embedderOptions(program.commands.at(-1)!);

  program
    .command('list')
    .description('list knowledge bases')
    .addOption(account())
    .action(
      wrap(async (o) => {
        const ctx = ctxFor();
        const kbs = await listKnowledgeBases((await ctx.database()).pool, o.account as number | undefined);
        ctx.print(
          kbs.length === 0
            ? 'No knowledge bases.'
            : table(
                ['ACCOUNT', 'NAME', 'EMBEDDING', 'LANGUAGE', 'CREATED'],
                kbs.map((kb) => [
                  kb.accountId,
                  kb.name,
                  describeEmbedding(kb),
                  kb.language,
                  kb.createdAt.toISOString(),
                ]),
              ),
          kbs,
        );
        return 0;
      }),
    );

  program
    .command('upload')
    .description('add or sync files, folders and URLs (pages or sitemaps)')
    .argument('<paths...>', 'files, folders or http(s) URLs')
    .addOption(account())
    .requiredOption('--kb <name>', 'knowledge base name')
    .option('--prune', 'delete documents that are not among these paths')
    .option('--chunk-size <chars>', 'characters per chunk', int('--chunk-size'))
    .option('--chunk-overlap <chars>', 'characters shared by neighbouring chunks', int('--chunk-overlap'))
    .option('--max-pages <n>', 'most pages taken from a sitemap', int('--max-pages'))
    .option('--metadata <key=value>', 'metadata for every document (repeatable; filterable in search)', pairs)
    .option('--no-progress', 'no progress bar')
    .action(
      wrap(async (o, args) => {
        const ctx = ctxFor();
        const k = ctx.config.knowledge;
        const db = await ctx.database();
        const progress = createProgressReporter(ctx.io.stderr, o.progress !== false && !ctx.json);
        const stop = interruptible(ctx);
        try {
          const summary = await ingestPaths(db.pool, {
            accountId: need(o.account as number, '--account'),
            kb: o.kb as string,
            paths: args,
            prune: Boolean(o.prune),
            chunkSize: (o.chunkSize as number | undefined) ?? k.chunkSize,
            chunkOverlap: (o.chunkOverlap as number | undefined) ?? k.chunkOverlap,
            maxSitemapPages: (o.maxPages as number | undefined) ?? k.maxSitemapPages,
            maxFileBytes: k.maxFileBytes,
            fetchTimeoutMs: k.fetchTimeoutMs,
            embeddingBatchSize: k.embeddingBatchSize,
            ...(k.embeddingRequestsPerMinute
              ? { embedOptions: { minRequestIntervalMs: 60_000 / k.embeddingRequestsPerMinute } }
              : {}),
            metadata: (o.metadata as Record<string, string> | undefined) ?? {},
            signal: stop.signal,
            onProgress: (p) => progress.update(p),
          });
          progress.stop();
          ctx.print(formatSummary(summary), summary);
          return summary.interrupted ? 130 : summary.failed > 0 ? 1 : 0;
        } finally {
          progress.stop();
          stop.dispose();
        }
      }),
    );

  program
    .command('search')
    .description('search knowledge bases the way the assistant does')
    .argument('<query>', 'a question')
    .addOption(account())
    .requiredOption('--kb <names>', 'knowledge base(s), comma-separated or repeated', list)
    .option('--limit <n>', 'passages', int('--limit'), 5)
    .option('--min-score <score>', 'minimum relevance score (0-1)', num)
    .option('--filter <key=value>', 'metadata filter (repeatable)', pairs)
    .action(
      wrap(async (o, args) => {
        const ctx = ctxFor();
        const db = await ctx.database();
        const result = await searchKnowledgeBases(
          db.pool,
          {
            accountId: need(o.account as number, '--account'),
            knowledgeBases: o.kb as string[],
            query: args[0]!,
            limit: o.limit as number,
            ...(o.minScore !== undefined ? { minScore: o.minScore as number } : {}),
            ...(o.filter ? { filter: o.filter as Record<string, string> } : {}),
          },
          { onWarning: (m) => ctx.io.stderr.write(`warning: ${m}\n`) },
        );
        const human = result.miss
          ? `Nothing relevant found (${result.latencyMs} ms).`
          : result.passages
              .map(
                (p, i) =>
                  `${i + 1}. [${p.score.toFixed(3)}] ${p.documentTitle} (${p.source})\n   ${p.text.replace(/\n/g, '\n   ')}`,
              )
              .join('\n\n') + `\n(${result.latencyMs} ms)`;
        ctx.print(human, result);
        return 0;
      }),
    );

  program
    .command('show')
    .description('show a knowledge base and its documents')
    .addOption(account())
    .requiredOption('--kb <name>', 'knowledge base name')
    .action(
      wrap(async (o) => {
        const ctx = ctxFor();
        const db = await ctx.database();
        const kb = await requireKnowledgeBase(
          db.pool,
          need(o.account as number, '--account'),
          o.kb as string,
        );
        const docs = await db.pool.query(
          `SELECT source, title, content_type AS "contentType", version, chunk_count AS chunks, checksum,
                  metadata, updated_at AS "updatedAt"
           FROM kb_documents WHERE knowledge_base_id = $1 AND account_id = $2 ORDER BY source`,
          [kb.id, kb.accountId],
        );
        const human = [
          `${kb.name} (account ${kb.accountId}): ${describeEmbedding(kb)}, language ${kb.language}`,
          kb.description,
          table(
            ['SOURCE', 'TITLE', 'TYPE', 'VERSION', 'CHUNKS'],
            docs.rows.map((d) => [
              d.source,
              String(d.title).slice(0, 40),
              d.contentType,
              d.version,
              d.chunks,
            ]),
          ),
        ]
          .filter(Boolean)
          .join('\n');
        ctx.print(human, { ...kb, documents: docs.rows });
        return 0;
      }),
    );

  program
    .command('delete')
    .description('delete a knowledge base, or one document of it')
    .addOption(account())
    .requiredOption('--kb <name>', 'knowledge base name')
    .option('--document <source>', 'delete only this document')
    .option('--yes', 'confirm deleting a whole knowledge base')
    .action(
      wrap(async (o) => {
        const ctx = ctxFor();
        const accountId = need(o.account as number, '--account');
        if (o.document) {
          const db = await ctx.database();
          const deleted = await deleteDocument(db.pool, accountId, o.kb as string, o.document as string);
          if (!deleted)
            throw new KnowledgeBaseError(`No document "${o.document as string}" in "${o.kb as string}".`);
          ctx.print(`Deleted ${o.document as string} from ${o.kb as string}.`, { deleted: o.document });
          return 0;
        }
        if (!o.yes)
          throw new KnowledgeBaseError(`Deleting "${o.kb as string}" removes all its documents: add --yes.`);
        const db = await ctx.database();
        const counts = await deleteKnowledgeBase(db.pool, accountId, o.kb as string);
        ctx.print(`Deleted "${o.kb as string}" (${counts.documents} documents, ${counts.chunks} chunks).`, {
          deleted: o.kb,
          ...counts,
        });
        return 0;
      }),
    );

  const reembed = program
    .command('reembed')
    .description('re-embed a knowledge base with another embedding model (searches keep working meanwhile)')
    .addOption(account())
    .requiredOption('--kb <name>', 'knowledge base name')
    .option('--no-progress', 'no progress bar')
    .action(
      wrap(async (o) => {
        const ctx = ctxFor();
        const db = await ctx.database();
        const progress = createProgressReporter(ctx.io.stderr, o.progress !== false && !ctx.json);
        const stop = interruptible(ctx);
        try {
          const summary = await reembedKnowledgeBase(db.pool, {
            accountId: need(o.account as number, '--account'),
            kb: o.kb as string,
            embedding: embeddingFrom(ctx, o),
            ...(ctx.config.knowledge.embeddingRequestsPerMinute
              ? {
                  embedOptions: {
                    minRequestIntervalMs: 60_000 / ctx.config.knowledge.embeddingRequestsPerMinute,
                  },
                }
              : {}),
            signal: stop.signal,
            onProgress: (p) => progress.update(p),
          });
          progress.stop();
          const lines = [
            `${summary.knowledgeBase}: ${summary.from} → ${summary.to}: ${summary.documents} documents re-embedded, ${summary.skipped} already done, ${summary.chunks} chunks, cost $${summary.costUsd}`,
            ...summary.failures.map((f) => `  failed: ${f.source}: ${f.reason}`),
            summary.switched
              ? 'Switched to the new embeddings.'
              : 'Not switched yet: run the same command again to resume.',
          ];
          ctx.print(lines.join('\n'), summary);
          return summary.interrupted ? 130 : summary.failures.length > 0 || !summary.switched ? 1 : 0;
        } finally {
          progress.stop();
          stop.dispose();
        }
      }),
    );
  embedderOptions(reembed);

  program
    .command('stats')
    .description('documents, chunks, tokens and index size per knowledge base')
    .addOption(account())
    .option('--kb <name>', 'only this knowledge base')
    .action(
      wrap(async (o) => {
        const ctx = ctxFor();
        const db = await ctx.database();
        const kbs = (await listKnowledgeBases(db.pool, o.account as number | undefined)).filter(
          (kb) => !o.kb || kb.name === o.kb,
        );
        if (o.kb && kbs.length === 0) throw new KnowledgeBaseError(`No knowledge base "${o.kb as string}".`);
        const stats = [];
        for (const kb of kbs)
          stats.push({
            accountId: kb.accountId,
            knowledgeBase: kb.name,
            ...(await knowledgeBaseStats(db.pool, kb)),
          });
        ctx.print(
          table(
            ['ACCOUNT', 'NAME', 'DOCUMENTS', 'CHUNKS', 'TOKENS', 'INDEX', 'UPDATED'],
            stats.map((s) => [
              s.accountId,
              s.knowledgeBase,
              s.documents,
              s.chunks,
              s.tokens,
              s.vectorIndexBytes === null ? '-' : `${Math.round(s.vectorIndexBytes / 1024)} KB`,
              s.lastUpdatedAt ?? '-',
            ]),
          ),
          stats,
        );
        return 0;
      }),
    );
}
