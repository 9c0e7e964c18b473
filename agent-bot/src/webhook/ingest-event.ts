import type pg from 'pg';
import { enqueueEvents } from '@switchboard/analytics';
import { envelopeFor, stableEventId } from '../engine/analytics-events.js';
import { QUEUES, type EngineContext, type InboxBinding, type TurnJob } from '../engine/engine-context.js';
import { inTransaction, loadConversation, type ConversationState } from '../transcript/conversation-store.js';
import { messageAuthor } from '../transcript/message-author.js';
import type { ConversationEvent, MessageEvent, ParsedWebhook } from './chatwoot-payloads.js';
import { shouldAnswer } from '../engine/answer-rules.js';

export type IngestOutcome = 'stored' | 'duplicate' | 'ignored';

/**
 * Stores one verified webhook in one short transaction: the delivery id (dedupe), the message
 * or conversation state, its analytics events and, when a customer is waiting, the lane's
 * trigger job. Nothing here calls Chatwoot or a model.
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
  let customerWrote: number | null = null;
  let failureQueued = false;
  const outcome = await inTransaction(engine.db.pool, async (client) => {
    if (deliveryId) {
      const fresh = await client.query(
        `INSERT INTO engine_webhook_deliveries (delivery_id, account_id, event) VALUES ($1, $2, $3)
         ON CONFLICT (delivery_id) DO NOTHING RETURNING 1`,
        [deliveryId, accountId, parsed.event.event],
      );
      if (fresh.rowCount === 0) return 'duplicate' as const;
    }
    if (parsed.kind === 'message') {
      const result = await ingestMessage(engine, client, binding, parsed.event);
      customerWrote = result.triggered ? parsed.event.conversation.id : null;
      failureQueued = result.failureQueued;
      return result.outcome;
    }
    const result = await ingestConversationEvent(engine, client, binding, parsed.event);
    if (result.backlogQueued) customerWrote = parsed.event.id;
    return result.outcome;
  });
  // Jobs sent inside the transaction exist now: start them without waiting for a poll.
  if (customerWrote !== null) {
    engine.queue.wakeAt(QUEUES.turn, 0);
    engine.notifyCustomerMessage(accountId, customerWrote);
  }
  if (failureQueued) engine.queue.wakeAt(QUEUES.deliveryFailure, 0);
  return outcome;
}

async function upsertConversation(
  client: pg.PoolClient,
  binding: InboxBinding,
  conversation: MessageEvent['conversation'] | ConversationEvent,
): Promise<ConversationState> {
  const sender = conversation.meta?.sender;
  const contact = {
    id: sender?.id ?? conversation.contact_inbox?.contact_id ?? null,
    name: sender?.name ?? null,
    phone: sender?.phone_number ?? null,
    email: sender?.email ?? null,
    attributes: sender?.custom_attributes ?? {},
  };
  // Deliveries arrive out of order: only a newer conversation snapshot may change the status.
  await client.query(
    `INSERT INTO engine_conversations (account_id, conversation_id, inbox_id, assistant, channel, status, status_version, contact)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (account_id, conversation_id) DO UPDATE SET
       status = CASE WHEN excluded.status_version >= engine_conversations.status_version
                     THEN excluded.status ELSE engine_conversations.status END,
       status_version = GREATEST(excluded.status_version, engine_conversations.status_version),
       contact = CASE WHEN excluded.status_version >= engine_conversations.status_version
                      THEN excluded.contact ELSE engine_conversations.contact END,
       updated_at = now()`,
    [
      binding.account.id,
      conversation.id,
      binding.inboxId,
      binding.assistantName,
      binding.channel,
      conversation.status,
      conversation.updated_at ?? 0,
      JSON.stringify(contact),
    ],
  );
  return (await loadConversation(client, binding.account.id, conversation.id, true))!;
}

async function ingestMessage(
  engine: EngineContext,
  client: pg.PoolClient,
  binding: InboxBinding,
  event: MessageEvent,
): Promise<{ outcome: IngestOutcome; triggered: boolean; failureQueued: boolean }> {
  const accountId = binding.account.id;
  const conversation = await upsertConversation(client, binding, event.conversation);
  const author = messageAuthor(event, binding.account.bot.id);
  const externalError =
    typeof event.content_attributes?.external_error === 'string'
      ? event.content_attributes.external_error
      : null;
  const inserted = await client.query(
    `INSERT INTO engine_messages (account_id, message_id, conversation_id, message_type, author, sender_type, sender_id,
        private, content_type, content, content_attributes, attachments, source_id, external_error, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
     ON CONFLICT (account_id, message_id) DO NOTHING RETURNING 1`,
    [
      accountId,
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
    ],
  );
  const isNew = inserted.rowCount === 1;
  let newError = isNew && externalError !== null;
  if (!isNew && event.event === 'message_updated') {
    // An update may arrive before or after its create: keep the newest facts, never lose an error.
    const updated = await client.query<{ had_error: boolean }>(
      `UPDATE engine_messages m SET
         content = COALESCE($3, m.content),
         attachments = CASE WHEN jsonb_array_length($4::jsonb) > 0 THEN $4::jsonb ELSE m.attachments END,
         content_attributes = m.content_attributes || $5::jsonb,
         external_error = COALESCE($6, m.external_error)
       FROM (SELECT external_error IS NOT NULL AS had_error FROM engine_messages
              WHERE account_id = $1 AND message_id = $2) before
       WHERE m.account_id = $1 AND m.message_id = $2
       RETURNING before.had_error`,
      [
        accountId,
        event.id,
        event.content ?? null,
        JSON.stringify(event.attachments ?? []),
        JSON.stringify(event.content_attributes ?? {}),
        externalError,
      ],
    );
    newError = externalError !== null && updated.rows[0]?.had_error === false;
  }
  const failureQueued = newError && author === 'ai';
  if (failureQueued) {
    await engine.queue.send(
      QUEUES.deliveryFailure,
      { accountId, conversationId: conversation.conversationId, messageId: event.id, error: externalError },
      { client },
    );
  }
  if (!isNew) return { outcome: 'stored', triggered: false, failureQueued };

  await enqueueEvents(client, [
    {
      ...envelopeFor(conversation),
      id: stableEventId('message', accountId, event.id),
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
  ]);

  if (author === 'human_agent' && !event.private) {
    // A human spoke: the bot never talks over them (it resumes by the rules in answer-rules.ts).
    await client.query(
      `UPDATE engine_conversations SET last_human_message_at = $3,
              bot_state = CASE WHEN bot_state = 'active' THEN 'human_replied' ELSE bot_state END
        WHERE account_id = $1 AND conversation_id = $2`,
      [accountId, conversation.conversationId, event.created_at],
    );
    return { outcome: 'stored', triggered: false, failureQueued };
  }
  if (author !== 'customer' || event.private) return { outcome: 'stored', triggered: false, failureQueued };

  await client.query(
    `UPDATE engine_conversations SET last_customer_message_at = GREATEST(last_customer_message_at, $3::timestamptz)
      WHERE account_id = $1 AND conversation_id = $2`,
    [accountId, conversation.conversationId, event.created_at],
  );
  // A customer writing first cancels what was scheduled to chase them (not reminders of a booking).
  await client.query(
    `UPDATE engine_follow_ups SET state = 'cancelled', detail = 'customer wrote first'
      WHERE account_id = $1 AND conversation_id = $2 AND state = 'scheduled' AND cancel_on_customer_message`,
    [accountId, conversation.conversationId],
  );
  const decision = shouldAnswer(conversation, binding.assistant.conversation, engine.clock.now());
  if (decision.answer) {
    if (decision.resume) {
      await client.query(
        `UPDATE engine_conversations SET bot_state = 'active', handed_off_at = NULL, handoff_reason = NULL,
                resume_to_pending = true
          WHERE account_id = $1 AND conversation_id = $2`,
        [accountId, conversation.conversationId],
      );
    }
    const job: TurnJob = { accountId, conversationId: conversation.conversationId };
    await engine.queue.send(QUEUES.turn, job, { client });
    return { outcome: 'stored', triggered: true, failureQueued };
  }
  await client.query(`UPDATE engine_messages SET ignored = true WHERE account_id = $1 AND message_id = $2`, [
    accountId,
    event.id,
  ]);
  return { outcome: 'stored', triggered: false, failureQueued };
}

async function ingestConversationEvent(
  engine: EngineContext,
  client: pg.PoolClient,
  binding: InboxBinding,
  event: ConversationEvent,
): Promise<{ outcome: IngestOutcome; backlogQueued: boolean }> {
  const before = await loadConversation(client, binding.account.id, event.id, true);
  const after = await upsertConversation(client, binding, event);
  const statusChanged = before === null || before.status !== after.status;
  if (!statusChanged || after.botState === 'active') return { outcome: 'stored', backlogQueued: false };
  // Resume rules: back to pending (a human gave it back), or resolved (the next customer
  // message is the bot's again).
  if (after.status !== 'pending' && after.status !== 'resolved')
    return { outcome: 'stored', backlogQueued: false };
  await client.query(
    `UPDATE engine_conversations SET bot_state = 'active', handed_off_at = NULL, handoff_reason = NULL
      WHERE account_id = $1 AND conversation_id = $2`,
    [binding.account.id, event.id],
  );
  if (after.status !== 'pending') return { outcome: 'stored', backlogQueued: false };
  // Handed back: what the customer asked after the last reply that reached them (a failed one,
  // e.g. free-form outside the window, did not) is the bot's to answer now; outside the window
  // that answer goes out as the re-engagement template.
  const backlog = await client.query(
    `UPDATE engine_messages m SET ignored = false
      WHERE m.account_id = $1 AND m.conversation_id = $2 AND m.author = 'customer' AND NOT m.private
        AND m.ignored AND m.turn_id IS NULL
        -- Chatwoot's message ids grow in creation order; timestamps can tie within a millisecond.
        AND m.message_id > COALESCE(
          (SELECT max(o.message_id) FROM engine_messages o
            WHERE o.account_id = $1 AND o.conversation_id = $2 AND o.author IN ('ai', 'human_agent')
              AND NOT o.private AND o.external_error IS NULL),
          0)
      RETURNING m.message_id`,
    [binding.account.id, event.id],
  );
  if (backlog.rowCount === 0) return { outcome: 'stored', backlogQueued: false };
  const job: TurnJob = { accountId: binding.account.id, conversationId: event.id };
  await engine.queue.send(QUEUES.turn, job, { client });
  return { outcome: 'stored', backlogQueued: true };
}
