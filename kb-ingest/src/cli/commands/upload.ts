import type { Command } from 'commander';
import { ingestPaths } from '../../ingest/ingest-paths.js';
import { formatSummary } from '../format.js';
import { createProgressReporter } from '../progress.js';
import { account, int, interruptible, need, pairs, type CommandDeps } from './options.js';

/** `kb-ingest upload`: adds or syncs files, folders and URLs; Ctrl-C stops after the current document. */
export function registerUploadCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
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
}
