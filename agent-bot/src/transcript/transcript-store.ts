import type pg from 'pg';
import type { TranscriptAttachment, TranscriptEntry } from '../assistant/responder.js';
import type { ChatwootAttachment } from '../webhook/chatwoot-payloads.js';

/** A stored message row, as the engine reads it back. */
export interface StoredMessage {
  messageId: number;
  conversationId: number;
  messageType: string;
  author: TranscriptEntry['author'];
  senderType: string | null;
  private: boolean;
  contentType: string;
  content: string | null;
  contentAttributes: Record<string, unknown>;
  attachments: ChatwootAttachment[];
  externalError: string | null;
  createdAt: Date;
  receivedAt: Date;
  turnId: string | null;
  enrichment: string | null;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export const MESSAGE_COLUMNS = `message_id, conversation_id, message_type, author, sender_type, private, content_type, content,
  content_attributes, attachments, external_error, created_at, received_at, turn_id, enrichment`;

/** A message row (or its JSON from json_agg) as the engine reads it. */
export function toStored(row: Record<string, unknown>): StoredMessage {
  return {
    messageId: Number(row.message_id),
    conversationId: Number(row.conversation_id),
    messageType: String(row.message_type),
    author: row.author as StoredMessage['author'],
    senderType: (row.sender_type as string | null) ?? null,
    private: Boolean(row.private),
    contentType: String(row.content_type),
    content: (row.content as string | null) ?? null,
    contentAttributes: (row.content_attributes as Record<string, unknown>) ?? {},
    attachments: (row.attachments as ChatwootAttachment[]) ?? [],
    externalError: (row.external_error as string | null) ?? null,
    createdAt: new Date(row.created_at as string),
    receivedAt: new Date(row.received_at as string),
    turnId: (row.turn_id as string | null) ?? null,
    enrichment: (row.enrichment as string | null) ?? null,
  };
}

/** Customer messages not yet answered, oldest first. */
export async function loadUnanswered(
  db: Queryable,
  accountId: number,
  conversationId: number,
): Promise<StoredMessage[]> {
  const result = await db.query(
    `SELECT ${MESSAGE_COLUMNS} FROM engine_messages
      WHERE account_id = $1 AND conversation_id = $2 AND author = 'customer' AND turn_id IS NULL AND ignored = false
      ORDER BY created_at, message_id`,
    [accountId, conversationId],
  );
  return result.rows.map(toStored);
}

export function toTranscriptEntry(message: StoredMessage, selectedOption?: string): TranscriptEntry {
  const attachments: TranscriptAttachment[] = message.attachments.map((a) => ({
    id: a.id,
    fileType: toFileType(a.file_type),
    dataUrl: a.data_url ?? null,
    ...(a.content_type ? { contentType: a.content_type } : {}),
  }));
  const transcribed = message.attachments
    .map((a) => a.transcribed_text)
    .filter((t): t is string => typeof t === 'string' && t.length > 0)
    .join('\n');
  const enrichment = message.enrichment ?? (transcribed || undefined);
  return {
    messageId: message.messageId,
    author: message.author,
    private: message.private,
    text: message.content ?? '',
    createdAt: message.createdAt.toISOString(),
    attachments,
    ...(enrichment ? { enrichment } : {}),
    ...(selectedOption ? { selectedOption } : {}),
  };
}

function toFileType(type: string): TranscriptAttachment['fileType'] {
  const known = ['image', 'audio', 'video', 'file', 'location', 'contact', 'fallback'] as const;
  return (known as readonly string[]).includes(type) ? (type as TranscriptAttachment['fileType']) : 'file';
}
