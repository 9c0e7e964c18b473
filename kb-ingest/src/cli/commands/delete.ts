import type { Command } from 'commander';
import { KnowledgeBaseError } from '../../knowledge-base-error.js';
import { deleteDocument, deleteKnowledgeBase } from '../../knowledge-bases/delete-knowledge-base.js';
import { account, need, type CommandDeps } from './options.js';

/** `kb-ingest delete`: a whole knowledge base (with --yes) or one of its documents. */
export function registerDeleteCommand(program: Command, { ctxFor, wrap }: CommandDeps): void {
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
}
