import type { FileConfig, ToolsConfig } from '@switchboard/core';
import type pg from 'pg';
import { z } from 'zod';
import type { OutgoingReply } from '../../responder/responder.js';
import { defineTool, type Tool, type ToolContext } from '../tool.js';
import { FileRejectedError, loadFile } from './load-file.js';
import { queueReply } from './reply-queue.js';

/**
 * Sends one configured file (brochure, price list) as an attachment with a caption. The model
 * picks a file by key; it never gives a URL or path. WhatsApp delivers only the first
 * attachment of a message, so every call is one message: several files = several calls.
 */
export function createSendFileTool(options: {
  files: Record<string, FileConfig>;
  limits: ToolsConfig['fileLimits'];
  pool?: pg.Pool;
  fetch?: typeof fetch;
}): Tool {
  const keys = Object.keys(options.files);
  const parameters = z.strictObject({
    file: (keys.length > 0 ? z.enum(keys as [string, ...string[]]) : z.string()).describe(
      `Which file to send. ${keys.map((key) => `${key}: ${options.files[key]!.description}`).join('; ')}`,
    ),
    caption: z
      .string()
      .max(1024)
      .optional()
      .describe('Short text shown with the file, in the customer’s language.'),
  });

  return defineTool({
    name: 'send_file',
    description:
      'Send the customer one of the business’s files (as an attachment). Call once per file. ' +
      'Only files listed in the parameters exist; do not promise other files.',
    parameters,
    async execute(args, context) {
      const file = options.files[args.file];
      if (!file || (file.assistants && !file.assistants.includes(context.turn.assistant))) {
        return { sent: false, error: `No file "${args.file}" is available to send.` };
      }
      try {
        const loaded = await loadFile(file, {
          accountId: context.turn.accountId,
          limits: options.limits,
          ...(options.pool ? { pool: options.pool } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        const caption = args.caption ?? file.caption ?? loaded.title;
        deliver(context, {
          kind: 'file',
          ...(caption ? { caption } : {}),
          fileName: loaded.fileName,
          contentType: loaded.contentType,
          data: loaded.data,
        });
        return { sent: true, fileName: loaded.fileName, sizeKb: Math.ceil(loaded.data.byteLength / 1024) };
      } catch (error) {
        if (error instanceof FileRejectedError) return { sent: false, error: error.message };
        throw error;
      }
    },
  });
}

/** Uses ToolContext.addReply when the loop offers it (proposed), else the per-turn queue. */
function deliver(context: ToolContext, reply: OutgoingReply): void {
  const addReply = (context as ToolContext & { addReply?: (reply: OutgoingReply) => void }).addReply;
  if (addReply) addReply(reply);
  else queueReply(context.turn, reply);
}
