import type pg from 'pg';
import { outboxInsert } from '@switchboard/analytics';
import { envelopeFor, stableEventId } from '../engine/analytics-events.js';
import { QUEUES, type EngineContext, type InboxBinding } from '../engine/engine-context.js';
import { LANE_DUE_NOW } from '../queue/lane-lease.js';
import {
  inTransaction,
  toConversationState,
  type ConversationState,
} from '../transcript/conversation-store.js';
import { messageAuthor, type Author } from '../transcript/message-author.js';
import type { ConversationEvent, MessageEvent, ParsedWebhook } from './chatwoot-payloads.js';
import { shouldAnswer } from '../engine/answer-rules.js';

export type IngestOutcome = 'stored' | 'duplicate' | 'ignored';

/**
 * Stores one verified webhook in one short transaction of few statements: the delivery id
 * (dedupe) with the conversation state, then the message with its analytics event and, when a
 * customer is waiting, the lane's due mark. Nothing here calls Chatwoot or a model.
 */
export async function ingestWebhook(
  engine: EngineContext,
  accountId: number,
  deliveryId: string | null,
  parsed: Extract<ParsedWebhook, { kind: 'message' | 'conversation' }>,
): Promise<IngestOutcome> {
  const inboxId = parsed.kind === 'message' ? parsed.event.conversation.inbox_id : parsed.event.inbox_id;
  const binding = engine.inbox(accountId, inboxId);
  if (!binding) return 'ignored';
  let laneDue: number | null = null;
  let failureQueued = false;
  const outcome = await inTransaction(engine.db.pool, async (client) => {
    if (parsed.kind === 'message') {
      const result = await ingestMessage(engine, client, binding, deliveryId, parsed.event);
      laneDue = result.laneDue ? parsed.event.conversation.id : null;
      failureQueued = result.failureQueued;
      return result.outcome;
    }
    const result = await ingestConversationEvent(engine, client, binding, deliveryId, parsed.event);
    if (result.backlogQueued) laneDue = parsed.event.id;
    return result.outcome;
  });
  // The due mark is committed: start the lane now instead of at the next poll.
  if (laneDue !== null) {
    engine.wakeLanes();
    engine.notifyCustomerMessage(accountId, laneDue);
  }
  if (failureQueued) engine.queue.wakeAt(QUEUES.deliveryFailure, 0);
  return outcome;
}

/** The conversation as a webhook shows it: contact and status (newer snapshots only). */
function conversationValues(
  binding: InboxBinding,
  conversation: MessageEvent['conversation'] | ConversationEvent,
): unknown[] {
  const sender = conversation.meta?.sender;
  const contact = {
    id: sender?.id ?? conversation.contact_inbox?.contact_id ?? null,
    name: sender?.name ?? null,
    phone: sender?.phone_number ?? null,
    email: sender?.email ?? null,
    attributes: sender?.custom_attributes ?? {},
  };
  return [
    binding.account.id,
    conversation.id,
    binding.inboxId,
    binding.assistantName,
    binding.channel,
    conversation.status,
    conversation.updated_at ?? 0,
    JSON.stringify(contact),
  ];
}

/**
 * Records the delivery id and upserts the conversation in one statement (params $1–$8 from
 * conversationValues, $9 the delivery id, $10 the event name, $11 a customer message's time).
 * No row back means the delivery was seen before. Deliveries arrive out of order: only a newer
 * conversation snapshot may change the status. The upsert keeps the row locked until commit,
 * which serializes webhooks of one conversation.
 */
function upsertConversationSql(withDelivery: boolean): string {
  return `${
    withDelivery
      ? `WITH delivery AS (
           INSERT INTO engine_webhook_deliveries (delivery_id, account_id, event) VALUES ($9, $1, $10)
           ON CONFLICT (delivery_id) DO NOTHING RETURNING 1)
         `
      : ''
  }INSERT INTO engine_conversations AS c (account_id, conversation_id, inbox_id, assistant, channel, status,
       status_version, contact, last_customer_message_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $11::timestamptz
     ${withDelivery ? 'WHERE EXISTS (SELECT 1 FROM delivery)' : ''}
     ON CONFLICT (account_id, conversation_id) DO UPDATE SET
       status = CASE WHEN excluded.status_version >= c.status_version THEN excluded.status ELSE c.status END,
       status_version = GREATEST(excluded.status_version, c.status_version),
       contact = CASE WHEN excluded.status_version >= c.status_version THEN excluded.contact ELSE c.contact END,
       last_customer_message_at = GREATEST(c.last_customer_message_at, excluded.last_customer_message_at),
       updated_at = now()
     RETURNING c.*`;
}

async function upsertConversation(
  client: pg.PoolClient,
  binding: InboxBinding,
  deliveryId: string | null,
  event: { event: string; conversation: MessageEvent['conversation'] | ConversationEvent },
  customerMessageAt: string | null,
): Promise<ConversationState | null> {
  const result = await client.query(upsertConversationSql(deliveryId !== null), [
    ...conversationValues(binding, event.conversation),
    deliveryId,
    event.event,
    customerMessageAt,
  ]);
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toConversationState(row) : null;
}

async function ingestMessage(
  engine: EngineContext,
  client: pg.PoolClient,
  binding: InboxBinding,
  deliveryId: string | null,
  event: MessageEvent,
): Promise<{ outcome: IngestOutcome; laneDue: boolean; failureQueued: boolean }> {
  const accountId = binding.account.id;
  const author = messageAuthor(event, binding.account.bot.id);
  const fromCustomer = author === 'customer' && !event.private;
  const conversation = await upsertConversation(
    client,
    binding,
    deliveryId,
    { event: event.event, conversation: event.conversation },
    fromCustomer ? event.created_at : null,
  );
  if (!conversation) return { outcome: 'duplicate', laneDue: false, failureQueued: false };
  const externalError =
    typeof event.content_attributes?.external_error === 'string'
      ? event.content_attributes.external_error
      : null;
  const decision = fromCustomer
    ? shouldAnswer(conversation, binding.assistant.conversation, engine.clock.now())
    : null;
  const stored = await storeMessage(client, conversation, event, author, externalError, decision);
  const newError =
    externalError !== null && (stored.inserted || (event.event === 'message_updated' && !stored.hadError));
  const failureQueued = newError && author === 'ai';
  if (failureQueued) {
    await engine.queue.send(
      QUEUES.deliveryFailure,
      { accountId, conversationId: conversation.conversationId, messageId: event.id, error: externalError },
      { client },
    );
  }
  return {
    outcome: 'stored',
    laneDue: stored.inserted && decision?.answer === true,
    failureQueued,
  };
}

/**
 * The message, its analytics event and what it changes, in one statement: a human's reply
 * silences the bot; a customer's cancels the follow-ups chasing them and makes the lane due
 * (or is stored as ignored while a human has the conversation). All of it only when the message
 * is new: a second delivery of one message (inbox bot plus assigned bot) changes nothing. A
 * `message_updated` merges into the stored message (an update may arrive before or after its
 * create: keep the newest facts, never lose an error).
 */
async function storeMessage(
  client: pg.PoolClient,
  conversation: ConversationState,
  event: MessageEvent,
  author: Author,
  externalError: string | null,
  decision: ReturnType<typeof shouldAnswer> | null,
): Promise<{ inserted: boolean; hadError: boolean }> {
  const answer = decision?.answer === true;
  const resume = decision?.answer === true && decision.resume;
  const recorded = outboxInsert(
    [
      {
        ...envelopeFor(conversation),
        id: stableEventId('message', conversation.accountId, event.id),
        occurredAt: new Date(event.created_at).toISOString(),
        type: 'message',
        payload: {
          messageId: event.id,
          direction: event.message_type === 'incoming' ? 'inbound' : 'outbound',
          author,
          contentType: event.content_type,
          private: event.private,
          text: event.content ?? '',
          attachments: (event.attachments ?? []).map((a) => ({
            type: a.file_type,
            ...(typeof a.file_size === 'number' ? { sizeBytes: a.file_size } : {}),
          })),
          ...(typeof event.additional_attributes?.template_params === 'object' &&
          event.additional_attributes?.template_params !== null
            ? {
                template: String(
                  (event.additional_attributes.template_params as { name?: unknown }).name ?? '',
                ),
              }
            : {}),
        },
      },
    ],
    17,
    'EXISTS (SELECT 1 FROM fresh)',
  );
  const merge =
    event.event === 'message_updated'
      ? `DO UPDATE SET
           content = COALESCE(excluded.content, m.content),
           attachments = CASE WHEN jsonb_array_length(excluded.attachments) > 0 THEN excluded.attachments ELSE m.attachments END,
           content_attributes = m.content_attributes || excluded.content_attributes,
           external_error = COALESCE(excluded.external_error, m.external_error)`
      : 'DO NOTHING';
  const human = author === 'human_agent' && !event.private;
  const result = await client.query<{ inserted: boolean; had_error: boolean | null }>(
    `WITH before AS (
       SELECT external_error IS NOT NULL AS had_error FROM engine_messages WHERE account_id = $1 AND message_id = $2),
     stored AS (
       INSERT INTO engine_messages AS m (account_id, message_id, conversation_id, message_type, author, sender_type,
           sender_id, private, content_type, content, content_attributes, attachments, source_id, external_error,
           created_at, ignored)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (account_id, message_id) ${merge}
       RETURNING (xmax = 0) AS inserted),
     fresh AS (SELECT 1 FROM stored WHERE inserted),
     recorded AS (${recorded.sql})
     ${
       human
         ? // A human spoke: the bot never talks over them (it resumes by the rules in answer-rules.ts).
           `, silenced AS (
              UPDATE engine_conversations SET last_human_message_at = $15,
                     bot_state = CASE WHEN bot_state = 'active' THEN 'human_replied' ELSE bot_state END
               WHERE account_id = $1 AND conversation_id = $3 AND EXISTS (SELECT 1 FROM fresh))`
         : ''
     }
     ${
       decision
         ? // A customer writing first cancels what was scheduled to chase them (not reminders of a booking).
           `, chased AS (
              UPDATE engine_follow_ups SET state = 'cancelled', detail = 'customer wrote first'
               WHERE account_id = $1 AND conversation_id = $3 AND state = 'scheduled' AND cancel_on_customer_message
                 AND EXISTS (SELECT 1 FROM fresh))`
         : ''
     }
     ${
       answer
         ? `, due AS (
              UPDATE engine_conversations SET ${LANE_DUE_NOW}
                ${resume ? `, bot_state = 'active', handed_off_at = NULL, handoff_reason = NULL, resume_to_pending = true` : ''}
               WHERE account_id = $1 AND conversation_id = $3 AND EXISTS (SELECT 1 FROM fresh))`
         : ''
     }
     SELECT EXISTS (SELECT 1 FROM fresh) AS inserted, (SELECT had_error FROM before) AS had_error`,
    [
      conversation.accountId,
      event.id,
      conversation.conversationId,
      event.message_type,
      author,
      event.sender?.type ?? (event.message_type === 'incoming' ? 'contact' : null),
      event.sender?.id ?? null,
      event.private,
      event.content_type,
      event.content ?? null,
      JSON.stringify(event.content_attributes ?? {}),
      JSON.stringify(event.attachments ?? []),
      event.source_id ?? null,
      externalError,
      event.created_at,
      // Customer messages the bot must not answer now are stored as ignored.
      decision !== null && !answer,
      ...recorded.values,
    ],
  );
  const row = result.rows[0]!;
  return { inserted: row.inserted, hadError: row.had_error === true };
}

async function ingestConversationEvent(
  engine: EngineContext,
  client: pg.PoolClient,
  binding: InboxBinding,
  deliveryId: string | null,
  event: ConversationEvent,
): Promise<{ outcome: IngestOutcome; backlogQueued: boolean }> {
  // The state before this event, locked (the upsert below would take the lock anyway).
  const existing = await client.query<{ status: string }>(
    `SELECT status FROM engine_conversations WHERE account_id = $1 AND conversation_id = $2 FOR UPDATE`,
    [binding.account.id, event.id],
  );
  const before = existing.rows[0] ?? null;
  const after = await upsertConversation(
    client,
    binding,
    deliveryId,
    { event: event.event, conversation: event },
    null,
  );
  if (!after) return { outcome: 'duplicate', backlogQueued: false };
  const statusChanged = before === null || before.status !== after.status;
  if (!statusChanged || after.botState === 'active') return { outcome: 'stored', backlogQueued: false };
  // Resume rules: back to pending (a human gave it back), or resolved (the next customer
  // message is the bot's again).
  if (after.status !== 'pending' && after.status !== 'resolved')
    return { outcome: 'stored', backlogQueued: false };
  if (after.status !== 'pending') {
    await client.query(
      `UPDATE engine_conversations SET bot_state = 'active', handed_off_at = NULL, handoff_reason = NULL
        WHERE account_id = $1 AND conversation_id = $2`,
      [binding.account.id, event.id],
    );
    return { outcome: 'stored', backlogQueued: false };
  }
  // Handed back: what the customer asked after the last reply that reached them (a failed one,
  // e.g. free-form outside the window, did not) is the bot's to answer now; outside the window
  // that answer goes out as the re-engagement template.
  const backlog = await client.query<{ answered: number }>(
    `WITH backlog AS (
       UPDATE engine_messages m SET ignored = false
        WHERE m.account_id = $1 AND m.conversation_id = $2 AND m.author = 'customer' AND NOT m.private
          AND m.ignored AND m.turn_id IS NULL
          -- Chatwoot's message ids grow in creation order; timestamps can tie within a millisecond.
          AND m.message_id > COALESCE(
            (SELECT max(o.message_id) FROM engine_messages o
              WHERE o.account_id = $1 AND o.conversation_id = $2 AND o.author IN ('ai', 'human_agent')
                AND NOT o.private AND o.external_error IS NULL),
            0)
        RETURNING 1),
     resumed AS (
       UPDATE engine_conversations SET bot_state = 'active', handed_off_at = NULL, handoff_reason = NULL,
              work_due_at = CASE WHEN EXISTS (SELECT 1 FROM backlog)
                                 THEN LEAST(COALESCE(work_due_at, 'infinity'::timestamptz), now())
                                 ELSE work_due_at END
        WHERE account_id = $1 AND conversation_id = $2)
     SELECT count(*)::int AS answered FROM backlog`,
    [binding.account.id, event.id],
  );
  return { outcome: 'stored', backlogQueued: backlog.rows[0]!.answered > 0 };
}
