import type { Command } from 'commander';
import { requireKnowledgeBase } from '../../knowledge-bases/find-knowledge-bases.js';
import { describeEmbedding, table } from '../format.js';
import { account, need, type CommandDeps } from './options.js';

/** `kb-ingest show`: a knowledge base and its documents. */
export function registerShowCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
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
}
