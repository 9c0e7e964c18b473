import type { Database } from '@switchboard/core';
import type { AnalyticsEventInput } from '@switchboard/events';
import type { InboxBinding } from '../inboxes/inbox-binding.js';
import { QUEUES, sendJob, type JobSender } from '../jobs/job-contracts.js';
import { inTransaction } from '../store/db.js';
import {
  afterOwnPostsOf,
  changesNothingTracked,
  inOrderPerOwnMessage,
  messageAnalyticsEvent,
  ownMessageUnchanged,
  rememberOwnMessage,
  storeWebhookConversation,
  storeWebhookMessage,
  type MessageToStore,
  type WebhookConversation,
} from '../store/webhook-intake.js';
import type { ConversationEvent, MessageEvent, ParsedWebhook } from './chatwoot-payloads.js';
import { attachmentRecord } from './attachment-record.js';
import { messageAuthor } from './message-author.js';
import { widgetSelectionAsCustomerMessage } from './widget-selection.js';

/** How long an own message's echo waits for the reply sender's mark-sent (store/webhook-intake.ts). */
const OWN_POST_WAIT_MS = 1_000;

/** `unchanged`: it would change nothing stored (store/webhook-intake.ts), so no statement ran. */
export type IngestOutcome = 'stored' | 'duplicate' | 'ignored' | 'unchanged';

/** What the webhook needs of the engine (the engine's context is one). */
export interface WebhookIntake {
  db: Pick<Database, 'pool'>;
  queue: JobSender & { wakeAt(name: string, delayMs: number): void };
  inbox(accountId: number, inboxId: number): InboxBinding | undefined;
  /** Look for due lanes now, or in `delayMs` (a lane due at the end of a burst window). */
  wakeLanes(delayMs?: number): void;
  /** A conversation got a new customer message (a generating turn regenerates). */
  notifyCustomerMessage(accountId: number, conversationId: number): void;
  /** The engine's time: stamps a message whose created_at is not a real instant. */
  clock: { now(): Date };
}

/**
 * Stores one verified webhook, as one statement (store/webhook-intake.ts): the delivery id
 * (dedupe), the conversation state, the message with its analytics event and, when a customer
 * wrote, the lane's due mark. Nothing here calls Chatwoot or a model.
 */
export async function ingestWebhook(
  intake: WebhookIntake,
  accountId: number,
  deliveryId: string | null,
  parsed: Extract<ParsedWebhook, { kind: 'message' | 'conversation' }>,
): Promise<IngestOutcome> {
  const inboxId = parsed.kind === 'message' ? parsed.event.conversation.inbox_id : parsed.event.inbox_id;
  const binding = intake.inbox(accountId, inboxId);
  if (!binding) return 'ignored';
  const result =
    parsed.kind === 'message'
      ? await ingestMessage(
          intake,
          binding,
          deliveryId,
          widgetSelectionAsCustomerMessage(binding, parsed.event) ?? parsed.event,
          intake.clock.now().toISOString(),
        )
      : await ingestConversationEvent(intake, binding, deliveryId, parsed.event);
  // Committed: start the lane now instead of at the next poll. Also when this webhook did not
  // make the lane due but held its row while another one did: a claim skips locked rows.
  if (result.wake) intake.wakeLanes();
  // Due at the end of the burst window this message opened: a claim then (any process's poll
  // also finds it, should this one stop before).
  if (result.wakeInMs !== undefined && result.wakeInMs !== null) intake.wakeLanes(result.wakeInMs + 1);
  const conversationId = parsed.kind === 'message' ? parsed.event.conversation.id : parsed.event.id;
  if (result.customerWrote) {
    intake.notifyCustomerMessage(accountId, conversationId);
  }
  if (result.failureQueued) intake.queue.wakeAt(QUEUES.deliveryFailure, 0);
  return result.outcome;
}

interface Ingested {
  outcome: IngestOutcome;
  /** The lane may be claimable now. */
  wake: boolean;
  /** The lane falls due in this many ms (a customer's burst window). */
  wakeInMs?: number | null;
  /** A customer message the bot may answer was stored (a generating turn should regenerate). */
  customerWrote: boolean;
  failureQueued?: boolean;
}

/**
 * The conversation as a webhook shows it (the envelope of the events it produces). Its status
 * counts by the status order in store/conversation-rules.ts: a conversation event's with its
 * updated_at as `statusEventVersion`, a message event's only as a hint (null), and a message
 * event without a usable status as none at all (version -1 never replaces a status).
 */
function conversationFromWebhook(
  binding: InboxBinding,
  conversation: MessageEvent['conversation'] | ConversationEvent,
  from: 'message' | 'conversation',
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
    status: conversation.status ?? 'unknown',
    statusVersion: conversation.status === null ? -1 : (conversation.updated_at ?? 0),
    statusEventVersion: from === 'conversation' ? (conversation.updated_at ?? 0) : null,
  };
}

/**
 * A delivery of the bot's own message (its echo, a status receipt) that shows exactly what this
 * process stored already (ownMessageUnchanged), read from the body as it came, before the
 * sanitiser and the schema walk it: about three of a turn's five webhooks. Only the fields the
 * fingerprint covers are read, each as the full path would read it; any value the full path
 * would normalise (a wrong type, a NUL) makes the fingerprints differ, and the delivery takes the
 * full path. An error (external_error) always does.
 */
export function ownDeliveryUnchanged(intake: WebhookIntake, accountId: number, body: unknown): boolean {
  const event = body as Partial<Record<string, unknown>> | null;
  if (typeof event !== 'object' || event === null) return false;
  if (event.event !== 'message_created' && event.event !== 'message_updated') return false;
  const sender = event.sender as { id?: unknown; type?: unknown } | null | undefined;
  const conversation = event.conversation as MessageEvent['conversation'] | undefined;
  if (
    event.message_type !== 'outgoing' ||
    sender?.type !== 'agent_bot' ||
    !Number.isInteger(event.id) ||
    typeof conversation !== 'object' ||
    conversation === null ||
    !Number.isInteger(conversation.id) ||
    !Number.isInteger(conversation.inbox_id)
  ) {
    return false;
  }
  const binding = intake.inbox(accountId, conversation.inbox_id);
  if (!binding || sender.id !== binding.account.bot.id) return false;
  const attributes = event.content_attributes ?? {};
  if (typeof attributes !== 'object' || Array.isArray(attributes)) return false;
  if ('external_error' in attributes) return false;
  const content = event.content ?? null;
  if (content !== null && typeof content !== 'string') return false;
  const view = conversationFromWebhook(binding, conversation, 'message');
  return ownMessageUnchanged(intake.db.pool, view, {
    messageId: event.id as number,
    author: 'ai',
    externalError: null,
    content,
    contentAttributes: attributes as Record<string, unknown>,
    attachments: (event.attachments as unknown[] | undefined) ?? [],
  });
}

/** The `message` analytics event of a webhook message. */
function messageEvent(
  view: WebhookConversation,
  event: MessageEvent,
  message: MessageToStore,
): AnalyticsEventInput {
  const params = event.additional_attributes?.template_params;
  return messageAnalyticsEvent(
    view,
    message,
    (event.attachments ?? []).map(attachmentRecord),
    typeof params === 'object' && params !== null
      ? String((params as { name?: unknown }).name ?? '')
      : undefined,
  );
}

/**
 * A message: stored with its event and its effects by the conversation rules (a customer's
 * message makes the lane due, a human's reply silences the bot). Only a failed reply of ours
 * needs a transaction: its failure job must commit with it.
 */
async function ingestMessage(
  intake: WebhookIntake,
  binding: InboxBinding,
  deliveryId: string | null,
  event: MessageEvent,
  receivedAt: string,
): Promise<Ingested> {
  // Not a real instant (chatwoot-payloads.ts): the time it reached us is the best one known.
  const createdAt = event.created_at ?? receivedAt;
  const author = messageAuthor(event, binding.account.bot.id);
  const customer = author === 'customer' && !event.private;
  const externalError =
    typeof event.content_attributes?.external_error === 'string'
      ? event.content_attributes.external_error
      : null;
  const view = conversationFromWebhook(binding, event.conversation, 'message');
  const message: MessageToStore = {
    messageId: event.id,
    messageType: event.message_type,
    author,
    senderType: event.sender?.type ?? (event.message_type === 'incoming' ? 'contact' : null),
    senderId: event.sender?.id ?? null,
    private: event.private,
    contentType: event.content_type,
    content: event.content ?? null,
    contentAttributes: event.content_attributes ?? {},
    attachments: event.attachments ?? [],
    sourceId: event.source_id ?? null,
    externalError,
    createdAt,
    update: event.event === 'message_updated',
  };
  const events = [messageEvent(view, event, message)];
  const ours = author === 'ai' && externalError !== null;
  const run = async (client: Pick<Database['pool'], 'query'>): Promise<Ingested> => {
    const row = await storeWebhookMessage(
      client,
      { id: deliveryId, event: event.event },
      view,
      message,
      events,
      binding.assistant.conversation.burstQuietMs,
    );
    if (!row.freshDelivery) return { outcome: 'duplicate', wake: false, customerWrote: false };
    rememberOwnMessage(intake.db.pool, view, message, row);
    const newError =
      externalError !== null &&
      (row.inserted || (event.event === 'message_updated' && row.hadError !== true));
    if (ours && newError) {
      await sendJob(
        intake.queue,
        'deliveryFailure',
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
      // A customer's message makes the lane due at its burst window's end (wakeInMs); one due
      // now (a burst window of 0, a due mark already earlier) is claimed now.
      wake: row.laneWaiting === true || (customerWrote && row.laneDueInMs === null),
      wakeInMs: customerWrote ? row.laneDueInMs : null,
      customerWrote,
      failureQueued: ours && newError,
    };
  };
  // The bot's own message: its echo and status receipts come together; after the first is
  // stored the others usually change nothing (store/webhook-intake.ts) and need no statement.
  return inOrderPerOwnMessage(intake.db.pool, view, message, async () => {
    if (author === 'ai' && externalError === null) {
      // The reply sender stores its own row with mark-sent: an echo faster than the POST's answer waits for it.
      await afterOwnPostsOf(intake.db.pool, view.accountId, view.conversationId, OWN_POST_WAIT_MS);
    }
    if (ownMessageUnchanged(intake.db.pool, view, message)) {
      return { outcome: 'unchanged', wake: false, customerWrote: false };
    }
    return ours ? inTransaction(intake.db.pool, run) : run(intake.db.pool);
  });
}

/**
 * A conversation event: the new state and, when the status change gives the conversation back
 * to the bot, the resume and what the customer asked meanwhile (store/conversation-rules.ts).
 */
async function ingestConversationEvent(
  intake: WebhookIntake,
  binding: InboxBinding,
  deliveryId: string | null,
  event: ConversationEvent,
): Promise<Ingested> {
  if (changesNothingTracked(event.event, event.changed_attributes)) {
    return { outcome: 'unchanged', wake: false, customerWrote: false };
  }
  const row = await storeWebhookConversation(
    intake.db.pool,
    { id: deliveryId, event: event.event },
    conversationFromWebhook(binding, event, 'conversation'),
  );
  if (!row.freshDelivery) return { outcome: 'duplicate', wake: false, customerWrote: false };
  return { outcome: 'stored', wake: row.laneWaiting === true, customerWrote: row.backlog > 0 };
}
