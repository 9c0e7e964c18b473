import type { Command } from 'commander';
import { createKnowledgeBase } from '../../knowledge-bases/create-knowledge-base.js';
import { describeEmbedding } from '../format.js';
import { account, embedderOptions, embeddingFrom, need, num, type CommandDeps } from './options.js';

/** `kb-ingest create`: a knowledge base, with its embedding model fixed from the flags or the configuration. */
export function registerCreateCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
  const command = program
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
    .action(
      wrap(async (o) => {
        const ctx = ctxFor();
        const embedding = embeddingFrom(ctx, o);
        const db = await ctx.database();
        const kb = await createKnowledgeBase(db.pool, {
          accountId: need(o.account as number, '--account'),
          name: o.kb as string,
          description: o.description as string,
          language: o.language as string,
          embedding,
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
  embedderOptions(command);
}
