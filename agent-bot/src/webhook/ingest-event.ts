import type pg from 'pg';
import { outboxInsert } from '@switchboard/events';
import { raw } from 'sql-template-tag';
import { numberedFragment } from '../store/numbered-fragment.js';
import { envelopeFor, stableEventId } from '@switchboard/events';
import { QUEUES, type EngineContext, type InboxBinding } from '../engine/engine-context.js';
import { laneDueNow } from '../queue/lane-lease.js';
import { inTransaction, type ConversationState } from '../transcript/conversation-store.js';
import { messageAuthor } from '../transcript/message-author.js';
import type { ConversationEvent, MessageEvent, ParsedWebhook } from './chatwoot-payloads.js';

export type IngestOutcome = 'stored' | 'duplicate' | 'ignored';

/**
 * Stores one verified webhook, as one statement (atomic without BEGIN/COMMIT, and the
 * conversation row stays locked only that long): the delivery id (dedupe), the conversation
 * state, the message with its analytics event and, when a customer wrote, the lane's due mark.
 * Nothing here calls Chatwoot or a model.
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
  const result =
    parsed.kind === 'message'
      ? await ingestMessage(engine, binding, deliveryId, parsed.event)
      : await ingestConversationEvent(engine, binding, deliveryId, parsed.event);
  // Committed: start the lane now instead of at the next poll. Also when this webhook did not
  // make the lane due but held its row while another one did: a claim skips locked rows.
  if (result.wake) engine.wakeLanes();
  const conversationId = parsed.kind === 'message' ? parsed.event.conversation.id : parsed.event.id;
  if (result.customerWrote) {
    engine.notifyCustomerMessage(accountId, conversationId);
  }
  if (result.failureQueued) engine.queue.wakeAt(QUEUES.deliveryFailure, 0);
  return result.outcome;
}

interface Ingested {
  outcome: IngestOutcome;
  /** The lane may be claimable now. */
  wake: boolean;
  /** A customer message the bot may answer was stored (a generating turn should regenerate). */
  customerWrote: boolean;
  failureQueued?: boolean;
}

type WebhookConversation = Pick<
  ConversationState,
  'accountId' | 'conversationId' | 'inboxId' | 'assistant' | 'channel' | 'contact'
>;

/** The conversation as a webhook shows it (the envelope of the events it produces). */
function conversationFromWebhook(
  binding: InboxBinding,
  conversation: MessageEvent['conversation'] | ConversationEvent,
): WebhookConversation {
  const sender = conversation.meta?.sender;
  return {
    accountId: binding.account.id,
    conversationId: conversation.id,
    inboxId: binding.inboxId,
    assistant: binding.assistantName,
    channel: binding.channel,
    contact: {
      id: sender?.id ?? conversation.contact_inbox?.contact_id ?? null,
      name: sender?.name ?? null,
      phone: sender?.phone_number ?? null,
      email: sender?.email ?? null,
      attributes: sender?.custom_attributes ?? {},
    },
  };
}

/**
 * The delivery id (dedupe) and the conversation upsert, as the head of an ingest statement:
 * params $1–$10; the upsert happens only for a delivery not seen before. Deliveries arrive out
 * of order: only a newer conversation snapshot may change the status. `changes` are extra SET
 * items (a message's effects on the conversation). The row stays locked only for the one
 * statement: webhooks of one conversation serialize without holding each other up for long.
 */
function conversationHead(
  binding: InboxBinding,
  deliveryId: string | null,
  eventName: string,
  conversation: MessageEvent['conversation'] | ConversationEvent,
  changes: { onInsert?: Record<string, string>; onUpdate: string },
): { sql: string; values: unknown[]; view: WebhookConversation } {
  const extra = Object.entries(changes.onInsert ?? {});
  const view = conversationFromWebhook(binding, conversation);
  return {
    view,
    sql: `${
      deliveryId
        ? `delivery AS (
             INSERT INTO engine_webhook_deliveries (delivery_id, account_id, event) VALUES ($9, $1, $10)
             ON CONFLICT (delivery_id) DO NOTHING RETURNING 1),`
        : ''
    }
     upserted AS (
       INSERT INTO engine_conversations AS c (account_id, conversation_id, inbox_id, assistant, channel, status,
           status_version, contact${extra.map(([column]) => `, ${column}`).join('')})
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::jsonb${extra.map(([, value]) => `, ${value}`).join('')}
       ${
         deliveryId
           ? 'WHERE EXISTS (SELECT 1 FROM delivery)'
           : // No delivery id, nothing to dedupe on ($9 and $10 stay referenced: the numbering is fixed).
             'WHERE $9::text IS NULL AND $10::text IS NOT NULL'
       }
       ON CONFLICT (account_id, conversation_id) DO UPDATE SET
         status = CASE WHEN excluded.status_version >= c.status_version THEN excluded.status ELSE c.status END,
         status_version = GREATEST(excluded.status_version, c.status_version),
         contact = CASE WHEN excluded.status_version >= c.status_version THEN excluded.contact ELSE c.contact END,
         updated_at = now()
         ${changes.onUpdate}
       RETURNING c.*, (c.work_due_at <= now() AND (c.lane_holder IS NULL OR c.lane_lease_until < now())) AS lane_waiting)`,
    values: [
      view.accountId,
      view.conversationId,
      view.inboxId,
      view.assistant,
      view.channel,
      conversation.status,
      conversation.updated_at ?? 0,
      JSON.stringify(view.contact),
      deliveryId,
      eventName,
    ],
  };
}

/**
 * A message in one statement (atomic without BEGIN/COMMIT): the delivery id, the conversation,
 * the message with its analytics event, and what it changes. A customer's message makes the
 * lane due (the lane decides whether the bot answers, by the state it finds) and cancels the
 * follow-ups chasing them; a human's reply silences the bot. A `message_updated` merges into
 * the stored message (an update may arrive before or after its create: keep the newest facts,
 * never lose an error). Only a failed reply of ours needs a transaction: its failure job must
 * commit with it.
 */
async function ingestMessage(
  engine: EngineContext,
  binding: InboxBinding,
  deliveryId: string | null,
  event: MessageEvent,
): Promise<Ingested> {
  const author = messageAuthor(event, binding.account.bot.id);
  const customer = author === 'customer' && !event.private;
  const human = author === 'human_agent' && !event.private;
  const externalError =
    typeof event.content_attributes?.external_error === 'string'
      ? event.content_attributes.external_error
      : null;
  const head = conversationHead(
    binding,
    deliveryId,
    event.event,
    event.conversation,
    customer
      ? {
          onInsert: { last_customer_message_at: '$11::timestamptz', work_due_at: 'now()' },
          onUpdate: `, last_customer_message_at = GREATEST(c.last_customer_message_at, $11::timestamptz), ${laneDueNow('c')}`,
        }
      : human
        ? {
            // The bot never talks over a human (it resumes by the rules in answer-rules.ts).
            onInsert: { last_human_message_at: '$11::timestamptz', bot_state: "'human_replied'" },
            onUpdate: `, last_human_message_at = $11::timestamptz,
               bot_state = CASE WHEN c.bot_state = 'active' THEN 'human_replied' ELSE c.bot_state END`,
          }
        : { onUpdate: '' },
  );
  const envelope = envelopeFor(head.view);
  const recorded = numberedFragment(
    outboxInsert(
      [
        {
          ...envelope,
          id: stableEventId('message', binding.account.id, event.id),
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
      raw('EXISTS (SELECT 1 FROM fresh)'),
    ),
    24,
  );
  const merge =
    event.event === 'message_updated'
      ? `DO UPDATE SET
           content = COALESCE(excluded.content, m.content),
           attachments = CASE WHEN jsonb_array_length(excluded.attachments) > 0 THEN excluded.attachments ELSE m.attachments END,
           content_attributes = m.content_attributes || excluded.content_attributes,
           external_error = COALESCE(excluded.external_error, m.external_error)`
      : 'DO NOTHING';
  const sql = `WITH ${head.sql},
     before AS (
       SELECT external_error IS NOT NULL AS had_error FROM engine_messages WHERE account_id = $1 AND message_id = $12),
     stored AS (
       INSERT INTO engine_messages AS m (account_id, message_id, conversation_id, message_type, author, sender_type,
           sender_id, private, content_type, content, content_attributes, attachments, source_id, external_error,
           created_at)
       SELECT $1, $12, $2, $13, $14, $15, $16, $17, $18, $19, $20::jsonb, $21::jsonb, $22, $23, $11::timestamptz
        WHERE EXISTS (SELECT 1 FROM upserted)
       ON CONFLICT (account_id, message_id) ${merge}
       RETURNING (xmax = 0) AS inserted),
     fresh AS (SELECT 1 FROM stored WHERE inserted),
     recorded AS (${recorded.sql})
     ${
       customer
         ? // A customer writing first cancels what was scheduled to chase them (not reminders of a booking).
           `, chased AS (
              UPDATE engine_follow_ups SET state = 'cancelled', detail = 'customer wrote first'
               WHERE account_id = $1 AND conversation_id = $2 AND state = 'scheduled' AND cancel_on_customer_message
                 AND EXISTS (SELECT 1 FROM fresh))`
         : ''
     }
     SELECT (SELECT lane_waiting FROM upserted) AS lane_waiting, EXISTS (SELECT 1 FROM upserted) AS fresh_delivery,
            EXISTS (SELECT 1 FROM fresh) AS inserted, (SELECT had_error FROM before) AS had_error`;
  const values = [
    ...head.values,
    event.created_at,
    event.id,
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
    ...recorded.values,
  ];
  type Row = {
    lane_waiting: boolean | null;
    fresh_delivery: boolean;
    inserted: boolean;
    had_error: boolean | null;
  };
  const ours = author === 'ai' && externalError !== null;
  const run = async (client: Pick<pg.PoolClient, 'query'>): Promise<Ingested> => {
    const row = (await client.query<Row>(sql, values)).rows[0]!;
    if (!row.fresh_delivery) return { outcome: 'duplicate', wake: false, customerWrote: false };
    const newError =
      externalError !== null &&
      (row.inserted || (event.event === 'message_updated' && row.had_error !== true));
    if (ours && newError) {
      await engine.queue.send(
        QUEUES.deliveryFailure,
        {
          accountId: binding.account.id,
          conversationId: event.conversation.id,
          messageId: event.id,
          error: externalError,
        },
        { client },
      );
    }
    const customerWrote = customer && row.inserted;
    return {
      outcome: 'stored',
      wake: customerWrote || row.lane_waiting === true,
      customerWrote,
      failureQueued: ours && newError,
    };
  };
  return ours ? inTransaction(engine.db.pool, run) : run(engine.db.pool);
}

/**
 * A conversation event in one statement: the delivery id, the new state and, when the status
 * change gives the conversation back to the bot (pending: a human handed it back; resolved: the
 * next customer message is the bot's again), the resume. Handed back to pending, what the
 * customer asked after the last reply that reached them (a failed one, e.g. free-form outside
 * the window, did not) is the bot's to answer now; outside the window that answer goes out as
 * the re-engagement template.
 */
async function ingestConversationEvent(
  engine: EngineContext,
  binding: InboxBinding,
  deliveryId: string | null,
  event: ConversationEvent,
): Promise<Ingested> {
  const newStatus = `CASE WHEN excluded.status_version >= c.status_version THEN excluded.status ELSE c.status END`;
  const resumes = `(c.bot_state <> 'active' AND c.status IS DISTINCT FROM ${newStatus} AND ${newStatus} IN ('pending', 'resolved'))`;
  const handedBack = `(${resumes} AND ${newStatus} = 'pending')`;
  const head = conversationHead(binding, deliveryId, event.event, event, {
    onUpdate: `, bot_state = CASE WHEN ${resumes} THEN 'active' ELSE c.bot_state END,
       handed_off_at = CASE WHEN ${resumes} THEN NULL ELSE c.handed_off_at END,
       handoff_reason = CASE WHEN ${resumes} THEN NULL ELSE c.handoff_reason END,
       bot_resumed_at = CASE WHEN ${handedBack} THEN now() ELSE c.bot_resumed_at END,
       work_due_at = CASE WHEN ${handedBack} THEN LEAST(COALESCE(c.work_due_at, 'infinity'::timestamptz), now())
                          ELSE c.work_due_at END`,
  });
  const row = (
    await engine.db.pool.query<{ lane_waiting: boolean | null; fresh_delivery: boolean; backlog: number }>(
      `WITH ${head.sql},
       backlog AS (
         UPDATE engine_messages m SET ignored = false
          FROM upserted u
          WHERE u.bot_resumed_at = now() AND m.account_id = $1 AND m.conversation_id = $2
            AND m.author = 'customer' AND NOT m.private AND m.ignored AND m.turn_id IS NULL
            -- Chatwoot's message ids grow in creation order; timestamps can tie within a millisecond.
            AND m.message_id > COALESCE(
              (SELECT max(o.message_id) FROM engine_messages o
                WHERE o.account_id = $1 AND o.conversation_id = $2 AND o.author IN ('ai', 'human_agent')
                  AND NOT o.private AND o.external_error IS NULL),
              0)
          RETURNING 1)
       SELECT (SELECT lane_waiting FROM upserted) AS lane_waiting, EXISTS (SELECT 1 FROM upserted) AS fresh_delivery,
              (SELECT count(*)::int FROM backlog) AS backlog`,
      head.values,
    )
  ).rows[0]!;
  if (!row.fresh_delivery) return { outcome: 'duplicate', wake: false, customerWrote: false };
  return { outcome: 'stored', wake: row.lane_waiting === true, customerWrote: row.backlog > 0 };
}
