import sql, { empty, join, raw, type Sql } from 'sql-template-tag';
import { outboxInsert, type AnalyticsEventInput } from '@switchboard/events';
import { cancelFollowUpsWhenCustomerWrites } from './follow-ups.js';
import {
  laneDueWhenCustomerWrites,
  NO_CHANGES,
  reopenBacklogWhenHandedBack,
  resumeWhenHandedBack,
  silenceBotAfterHumanReply,
  statusInOrder,
  type ConversationChanges,
} from './conversation-rules.js';
import type { ConversationState } from './conversations.js';
import { run, type Queryable } from './db.js';

/**
 * The webhook's statements: each stores one verified delivery as one statement (atomic without
 * BEGIN/COMMIT, and the conversation row stays locked only that long, so webhooks of one
 * conversation serialize without holding each other up for long).
 */

/** The conversation as a webhook shows it. */
export type WebhookConversation = Pick<
  ConversationState,
  'accountId' | 'conversationId' | 'inboxId' | 'assistant' | 'channel' | 'contact'
> & {
  status: string;
  /** The snapshot's updated_at. */
  statusVersion: number;
  /** The same for a conversation event, null for a message event (the status order in conversation-rules.ts). */
  statusEventVersion: number | null;
};

export interface Delivery {
  /** Chatwoot's delivery id (dedupe); null: nothing to dedupe on. */
  id: string | null;
  event: string;
}

/**
 * The delivery id (dedupe) and the conversation upsert, as the head of an ingest statement
 * (CTEs `delivery` and `upserted`); the upsert happens only for a delivery not seen before.
 * Deliveries arrive out of order: the status changes by the status order (conversation-rules.ts).
 */
function conversationHead(delivery: Delivery, view: WebhookConversation, changes: ConversationChanges): Sql {
  const extraColumns = changes.onInsert.map(([column]) => sql`, ${rawIdentifier(column)}`);
  const extraValues = changes.onInsert.map(([, value]) => sql`, ${value}`);
  const onUpdate = changes.onUpdate.map((item) => sql`, ${item}`);
  const joined = (items: Sql[]): Sql => (items.length > 0 ? join(items, '') : empty);
  return sql`${
    delivery.id
      ? sql`delivery AS (
              INSERT INTO engine_webhook_deliveries (delivery_id, account_id, event)
              VALUES (${delivery.id}, ${view.accountId}, ${delivery.event})
              ON CONFLICT (delivery_id) DO NOTHING RETURNING 1),`
      : empty
  }
     upserted AS (
       INSERT INTO engine_conversations AS c (account_id, conversation_id, inbox_id, assistant, channel, status,
           status_version, status_event_version, contact${joined(extraColumns)})
       SELECT ${view.accountId}, ${view.conversationId}, ${view.inboxId}, ${view.assistant}, ${view.channel},
              ${view.status}, ${view.statusVersion}, ${view.statusEventVersion}::float8,
              ${JSON.stringify(view.contact)}::jsonb${joined(extraValues)}
       ${delivery.id ? sql`WHERE EXISTS (SELECT 1 FROM delivery)` : empty}
       ON CONFLICT (account_id, conversation_id) DO UPDATE SET
         ${join([...statusInOrder], ', ')},
         updated_at = now()
         ${joined(onUpdate)}
       RETURNING c.*, (c.work_due_at <= now() AND (c.lane_holder IS NULL OR c.lane_lease_until < now())) AS lane_waiting)`;
}

/** Column names come from the rules in this folder, never from a payload. */
function rawIdentifier(column: string): Sql {
  if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column name: ${column}`);
  return raw(column);
}

export interface MessageToStore {
  messageId: number;
  messageType: string;
  author: string;
  senderType: string | null;
  senderId: number | null;
  private: boolean;
  contentType: string;
  content: string | null;
  contentAttributes: Record<string, unknown>;
  attachments: unknown[];
  sourceId: string | null;
  externalError: string | null;
  createdAt: string;
  /** A `message_updated`: merge into the stored message instead of ignoring a repeat. */
  update: boolean;
}

export interface StoredMessageOutcome {
  /** The delivery was new (not a duplicate). */
  freshDelivery: boolean;
  /** The message row was inserted (not there before). */
  inserted: boolean;
  /** The stored message had an error before this delivery. */
  hadError: boolean | null;
  /** The lane was due and nobody held it. */
  laneWaiting: boolean | null;
}

/**
 * A message in one statement: the delivery id, the conversation, the message with its event
 * (`events`, inserted only when the message is new), and what it changes by the rules: a
 * customer's message makes the lane due and cancels the follow-ups chasing them; a human's
 * reply silences the bot. An update may arrive before or after its create: keep the newest
 * facts, never lose an error.
 */
export async function storeWebhookMessage(
  db: Queryable,
  delivery: Delivery,
  view: WebhookConversation,
  message: MessageToStore,
  events: readonly AnalyticsEventInput[],
): Promise<StoredMessageOutcome> {
  const customer = message.author === 'customer' && !message.private;
  const human = message.author === 'human_agent' && !message.private;
  const changes = customer
    ? laneDueWhenCustomerWrites(message.createdAt)
    : human
      ? silenceBotAfterHumanReply(message.createdAt)
      : NO_CHANGES;
  const merge = message.update
    ? sql`DO UPDATE SET
           content = COALESCE(excluded.content, m.content),
           attachments = CASE WHEN jsonb_array_length(excluded.attachments) > 0 THEN excluded.attachments ELSE m.attachments END,
           content_attributes = m.content_attributes || excluded.content_attributes,
           external_error = COALESCE(excluded.external_error, m.external_error)`
    : sql`DO NOTHING`;
  const isNew = sql`EXISTS (SELECT 1 FROM fresh)`;
  const row = (
    await run<{
      lane_waiting: boolean | null;
      fresh_delivery: boolean;
      inserted: boolean;
      had_error: boolean | null;
    }>(
      db,
      sql`WITH ${conversationHead(delivery, view, changes)},
        before AS (
          SELECT external_error IS NOT NULL AS had_error FROM engine_messages
           WHERE account_id = ${view.accountId} AND message_id = ${message.messageId}),
        stored AS (
          INSERT INTO engine_messages AS m (account_id, message_id, conversation_id, message_type, author, sender_type,
              sender_id, private, content_type, content, content_attributes, attachments, source_id, external_error,
              created_at)
          SELECT ${view.accountId}, ${message.messageId}, ${view.conversationId}, ${message.messageType}, ${message.author},
                 ${message.senderType}, ${message.senderId}, ${message.private}, ${message.contentType}, ${message.content},
                 ${JSON.stringify(message.contentAttributes)}::jsonb, ${JSON.stringify(message.attachments)}::jsonb,
                 ${message.sourceId}, ${message.externalError}, ${message.createdAt}::timestamptz
           WHERE EXISTS (SELECT 1 FROM upserted)
          ON CONFLICT (account_id, message_id) ${merge}
          RETURNING (xmax = 0) AS inserted),
        fresh AS (SELECT 1 FROM stored WHERE inserted),
        recorded AS (${outboxInsert(events, isNew)})
        ${customer ? sql`, chased AS (${cancelFollowUpsWhenCustomerWrites(view.accountId, view.conversationId, isNew)})` : empty}
        SELECT (SELECT lane_waiting FROM upserted) AS lane_waiting, EXISTS (SELECT 1 FROM upserted) AS fresh_delivery,
               EXISTS (SELECT 1 FROM fresh) AS inserted, (SELECT had_error FROM before) AS had_error`,
    )
  ).rows[0]!;
  return {
    freshDelivery: row.fresh_delivery,
    inserted: row.inserted,
    hadError: row.had_error,
    laneWaiting: row.lane_waiting,
  };
}

/**
 * A conversation event in one statement: the delivery id, the new state and, when the status
 * change hands the conversation back to the bot, the resume and its backlog (the rules in
 * conversation-rules.ts). `backlog`: customer messages the bot now has to answer.
 */
export async function storeWebhookConversation(
  db: Queryable,
  delivery: Delivery,
  view: WebhookConversation,
): Promise<{ freshDelivery: boolean; laneWaiting: boolean | null; backlog: number }> {
  const row = (
    await run<{ lane_waiting: boolean | null; fresh_delivery: boolean; backlog: number }>(
      db,
      sql`WITH ${conversationHead(delivery, view, resumeWhenHandedBack())},
        backlog AS (${reopenBacklogWhenHandedBack(view.accountId, view.conversationId)})
        SELECT (SELECT lane_waiting FROM upserted) AS lane_waiting, EXISTS (SELECT 1 FROM upserted) AS fresh_delivery,
               (SELECT count(*)::int FROM backlog) AS backlog`,
    )
  ).rows[0]!;
  return { freshDelivery: row.fresh_delivery, laneWaiting: row.lane_waiting, backlog: row.backlog };
}
