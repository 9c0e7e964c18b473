import type { Command } from 'commander';
import { searchKnowledgeBases } from '../../search/search-knowledge-bases.js';
import { account, int, list, need, num, pairs, type CommandDeps } from './options.js';

/** `kb-ingest search`: searches the way the assistant does, to check what it would find. */
export function registerSearchCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
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
}
