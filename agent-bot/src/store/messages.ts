import sql, { raw } from 'sql-template-tag';
import type { TranscriptEntry } from '../responder/responder.js';
import { run, type Queryable } from './db.js';

/**
 * An attachment as stored with its message (Chatwoot's shape, the fields the engine reads; the
 * webhook's payload schema is the full contract).
 */
export interface StoredAttachment {
  id: number;
  file_type: string;
  data_url?: string | null | undefined;
  content_type?: string | null | undefined;
  file_size?: number | null | undefined;
  transcribed_text?: string | null | undefined;
  [field: string]: unknown;
}

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
  attachments: StoredAttachment[];
  externalError: string | null;
  createdAt: Date;
  receivedAt: Date;
  turnId: string | null;
  enrichment: string | null;
}

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
    attachments: (row.attachments as StoredAttachment[]) ?? [],
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
  const result = await run(
    db,
    sql`SELECT ${raw(MESSAGE_COLUMNS)} FROM engine_messages
         WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND author = 'customer'
           AND turn_id IS NULL AND ignored = false
         ORDER BY created_at, message_id`,
  );
  return result.rows.map(toStored);
}

/** Messages the bot will not answer (a decision not to, taken on them while still unanswered). */
export async function ignoreUnanswered(
  db: Queryable,
  accountId: number,
  messageIds: number[],
): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_messages SET ignored = true
         WHERE account_id = ${accountId} AND message_id = ANY(${messageIds}::bigint[]) AND turn_id IS NULL`,
  );
}

/** Gives back to the bot what an ignore decided on a state that has changed since (a hand-back). */
export async function unignoreUnanswered(
  db: Queryable,
  accountId: number,
  messageIds: number[],
): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_messages SET ignored = false
         WHERE account_id = ${accountId} AND message_id = ANY(${messageIds}::bigint[]) AND turn_id IS NULL`,
  );
}

/** After a handoff whatever customers wrote and the bot has not answered is the human's. */
export async function handUnansweredToHuman(
  db: Queryable,
  accountId: number,
  conversationId: number,
): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_messages SET ignored = true
         WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND author = 'customer'
           AND turn_id IS NULL`,
  );
}

/** What the media enrichers found (shown to the model in this and later turns). */
export async function saveEnrichment(
  db: Queryable,
  accountId: number,
  messageId: number,
  enrichment: string,
): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_messages SET enrichment = ${enrichment}
         WHERE account_id = ${accountId} AND message_id = ${messageId}`,
  );
}
