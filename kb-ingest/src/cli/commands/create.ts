import type { Command } from 'commander';
import { createKnowledgeBase } from '../../knowledge-bases/create-knowledge-base.js';
import { describeEmbedding } from '../format.js';
import type { CliContext } from '../cli-context.js';
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
        const accountId = need(o.account as number, '--account');
        const embedding = embeddingFrom(ctx, o);
        const db = await ctx.database();
        const kb = await createKnowledgeBase(db.pool, {
          accountId,
          name: o.kb as string,
          description: o.description as string,
          language: o.language as string,
          embedding,
          ...(o.minScore !== undefined ? { minScore: o.minScore as number } : {}),
          ifNotExists: Boolean(o.ifNotExists),
        });
        warnWhenAccountNotServed(ctx, accountId);
        ctx.print(
          `Knowledge base "${kb.name}" (account ${kb.accountId}): ${describeEmbedding(kb)}, language ${kb.language}`,
          kb,
        );
        return 0;
      }),
    );
  embedderOptions(command);
}

/**
 * A knowledge base for an account no configured Chatwoot account matches is reachable by no
 * assistant: usually a typo in --account or the wrong --config. Created anyway (it may be
 * prepared before the account is added), but said on stderr.
 */
function warnWhenAccountNotServed(ctx: CliContext, accountId: number): void {
  const served = ctx.config.chatwoot.accounts.map((entry) => entry.id);
  if (served.includes(accountId)) return;
  const which =
    served.length > 0
      ? `it serves account${served.length > 1 ? 's' : ''} ${served.join(', ')}`
      : 'it serves no account';
  ctx.io.stderr.write(
    `kb-ingest: warning: account ${accountId} is not in this configuration's chatwoot.accounts (${which}); no assistant can search this knowledge base until it is.\n`,
  );
}
