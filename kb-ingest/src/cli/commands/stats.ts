import type { Command } from 'commander';
import { KnowledgeBaseError } from '../../knowledge-base-error.js';
import { listKnowledgeBases } from '../../knowledge-bases/find-knowledge-bases.js';
import { knowledgeBaseStats } from '../../knowledge-bases/knowledge-base-stats.js';
import { table } from '../format.js';
import { account, type CommandDeps } from './options.js';

/** `kb-ingest stats`: documents, chunks, tokens and vector index size per knowledge base. */
export function registerStatsCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
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
