import type { Command } from 'commander';
import { listKnowledgeBases } from '../../knowledge-bases/find-knowledge-bases.js';
import { describeEmbedding, table } from '../format.js';
import { account, type CommandDeps } from './options.js';

/** `kb-ingest list`: the knowledge bases of an account (or all). */
export function registerListCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
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
}
