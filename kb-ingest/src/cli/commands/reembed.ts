import type { Command } from 'commander';
import { reembedKnowledgeBase } from '../../ingest/reembed-knowledge-base.js';
import { createProgressReporter } from '../progress.js';
import { account, embedderOptions, embeddingFrom, interruptible, need, type CommandDeps } from './options.js';

/** `kb-ingest reembed`: re-embeds with another model while searches keep using the old vectors, then switches. */
export function registerReembedCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
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
}
