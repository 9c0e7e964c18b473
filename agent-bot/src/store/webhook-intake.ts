import sql, { empty, join, raw, type Sql } from 'sql-template-tag';
import {
  envelopeFor,
  outboxInsert,
  stableEventId,
  type AnalyticsEventInput,
  type MessageAttachment,
} from '@switchboard/events';
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
       RETURNING c.*, (c.work_due_at <= now() AND (c.lane_holder IS NULL OR c.lane_lease_until < now())) AS lane_waiting,
         -- due later: free, or a knock on a held lane that its release leaves (store/lanes.ts)
         CASE WHEN c.work_due_at > now()
                   AND (c.lane_holder IS NULL OR c.lane_lease_until < now() OR c.work_due_at < c.lane_lease_until)
              THEN ceil(EXTRACT(EPOCH FROM (c.work_due_at - now())) * 1000)::int END AS lane_due_in_ms)`;
}

/** Column names come from the rules in this folder, never from a payload. */
function rawIdentifier(column: string): Sql {
  if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column name: ${column}`);
  return raw(column);
}

export interface MessageToStore {
  messageId: number;
  messageType: string;
  author: 'customer' | 'ai' | 'human_agent' | 'system';
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

/**
 * The `message` analytics event of a stored message, with the stable id both its writers use
 * (the webhook, and the reply sender for the bot's own messages): whichever stores the row first
 * records it, once.
 */
export function messageAnalyticsEvent(
  view: WebhookConversation,
  message: MessageToStore,
  attachments: MessageAttachment[],
  template: string | undefined,
): AnalyticsEventInput {
  return {
    ...envelopeFor(view),
    id: stableEventId('message', view.accountId, message.messageId),
    occurredAt: message.createdAt,
    type: 'message',
    payload: {
      messageId: message.messageId,
      direction: message.messageType === 'incoming' ? 'inbound' : 'outbound',
      author: message.author,
      contentType: message.contentType,
      private: message.private,
      text: message.content ?? '',
      attachments,
      ...(template !== undefined ? { template } : {}),
    },
  };
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
  /** The lane falls due for a claim in this many ms (a burst window), null when not for later. */
  laneDueInMs: number | null;
}

/**
 * A message in one statement: the delivery id, the conversation, the message with its event
 * (`events`, inserted only when the message is new), and what it changes by the rules: a
 * customer's message makes the lane due and cancels the follow-ups chasing them; a human's
 * reply silences the bot. An update may arrive before or after its create: keep the newest
 * facts, never lose an error. `burstQuietMs`: the assistant's burst window, when a customer's
 * message makes the lane due (conversation-rules.ts).
 */
export async function storeWebhookMessage(
  db: Queryable,
  delivery: Delivery,
  view: WebhookConversation,
  message: MessageToStore,
  events: readonly AnalyticsEventInput[],
  burstQuietMs = 0,
): Promise<StoredMessageOutcome> {
  const customer = message.author === 'customer' && !message.private;
  const human = message.author === 'human_agent' && !message.private;
  const changes = customer
    ? laneDueWhenCustomerWrites(message.createdAt, Math.max(0, Math.round(burstQuietMs)))
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
      lane_due_in_ms: number | null;
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
        SELECT (SELECT lane_waiting FROM upserted) AS lane_waiting, (SELECT lane_due_in_ms FROM upserted) AS lane_due_in_ms,
               EXISTS (SELECT 1 FROM upserted) AS fresh_delivery,
               EXISTS (SELECT 1 FROM fresh) AS inserted, (SELECT had_error FROM before) AS had_error`,
    )
  ).rows[0]!;
  return {
    freshDelivery: row.fresh_delivery,
    inserted: row.inserted,
    hadError: row.had_error,
    laneWaiting: row.lane_waiting,
    laneDueInMs: row.lane_due_in_ms,
  };
}

/**
 * The row of a message this bot just posted, as its echo would store it: a CTE body for the
 * reply sender's mark-sent statement (store/reply-parts.ts), inserted only when `when` holds.
 * Whichever comes first writes the row, this or the echo (storeWebhookMessage, in any process);
 * the other's insert does nothing, and its `message` event (the same stable id) goes with the row.
 */
export function ownMessageInsert(
  view: Pick<WebhookConversation, 'accountId' | 'conversationId'>,
  message: MessageToStore,
  when: Sql,
): Sql {
  return sql`INSERT INTO engine_messages (account_id, message_id, conversation_id, message_type, author, sender_type,
        sender_id, private, content_type, content, content_attributes, attachments, source_id, external_error, created_at)
      SELECT ${view.accountId}, ${message.messageId}, ${view.conversationId}, ${message.messageType}, ${message.author},
             ${message.senderType}, ${message.senderId}, ${message.private}, ${message.contentType}, ${message.content},
             ${JSON.stringify(message.contentAttributes)}::jsonb, ${JSON.stringify(message.attachments)}::jsonb,
             ${message.sourceId}, ${message.externalError}, ${message.createdAt}::timestamptz
       WHERE ${when}
      ON CONFLICT (account_id, message_id) DO NOTHING
      RETURNING 1`;
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

/**
 * `changed_attributes` keys of a conversation_updated that no statement here stores or reads:
 * Chatwoot's own timestamps (waiting_since and first_reply_created_at change on nearly every
 * customer message and reply). Everything the bot tracks (status, and the contact and snapshot
 * that every message event of the same moment carries) comes with other keys, or with
 * changed_attributes null (a status change sends null: contract §1.4), which is always stored.
 */
const UNTRACKED_CONVERSATION_ATTRIBUTES = new Set([
  'waiting_since',
  'first_reply_created_at',
  'last_activity_at',
  'updated_at',
  'contact_last_seen_at',
  'agent_last_seen_at',
  'assignee_last_seen_at',
]);

/**
 * A conversation_updated that changes only attributes the bot does not track: storing it would
 * change nothing the engine reads, so it is acknowledged without a statement (about 1.8 per
 * turn). Its status equals the one set by the last status change before it, which arrives as
 * its own delivery (and a conversation_updated with `status` among its keys).
 */
export function changesNothingTracked(event: string, changed: unknown): boolean {
  if (event !== 'conversation_updated' || !Array.isArray(changed) || changed.length === 0) return false;
  // Also read from the body as it came (before the webhook's parse): only the shape Chatwoot sends
  // (an array of { attribute: { previous_value, current_value } }) counts; anything else is stored.
  return changed.every((entry: unknown) => {
    if (!isPlainObject(entry)) return false;
    const keys = Object.keys(entry);
    return (
      keys.length > 0 &&
      keys.every((key) => UNTRACKED_CONVERSATION_ATTRIBUTES.has(key) && isPlainObject(entry[key]))
    );
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The bot's own messages this process stored, by what their row and conversation held then (per
 * database pool, bounded): a later message_updated of one that shows exactly the same (a status
 * receipt: sent, delivered, read) and no error would change nothing (the merge keeps content,
 * attachments and attributes, the bot's own messages change no conversation rule), so it needs
 * no statement. Another process without the entry simply stores it (idempotent); an error,
 * edited content or new attributes always go to the database.
 */
const storedOwnMessages = new WeakMap<object, Map<string, string>>();
const STORED_OWN_MESSAGES_LIMIT = 20_000;

/**
 * What a message_updated could change: the conversation's status and contact, and the columns
 * the update merges (storeWebhookMessage: content, attachments, content_attributes and
 * external_error, which is null here). Not source_id: Chatwoot sets it once WhatsApp took the
 * message, and the merge never writes it.
 */
function ownMessageFingerprint(
  view: WebhookConversation,
  message: Pick<MessageToStore, 'content' | 'contentAttributes' | 'attachments'>,
): string {
  return JSON.stringify([
    view.inboxId,
    view.status,
    view.contact,
    message.content,
    message.contentAttributes,
    message.attachments,
  ]);
}

/** After a committed store: remembers an own message whose row now is exactly this delivery. */
export function rememberOwnMessage(
  db: object,
  view: WebhookConversation,
  message: MessageToStore,
  outcome: StoredMessageOutcome,
): void {
  if (message.author !== 'ai' || message.externalError !== null || !outcome.inserted) return;
  remember(db, view, message);
}

/**
 * After the reply sender's mark-sent statement inserted the row of a message it posted
 * (ownMessageInsert): its echo and status receipts in this process then need no statement when
 * they show the same. Only when that statement inserted it: after an echo that came first, the
 * row holds the echo's values, which this entry might not.
 */
export function rememberPostedOwnMessage(
  db: object,
  view: WebhookConversation,
  message: MessageToStore,
): void {
  if (message.author !== 'ai' || message.externalError !== null) return;
  remember(db, view, message);
}

function remember(db: object, view: WebhookConversation, message: MessageToStore): void {
  let seen = storedOwnMessages.get(db);
  if (!seen) storedOwnMessages.set(db, (seen = new Map()));
  const key = `${view.accountId}:${message.messageId}`;
  seen.delete(key);
  seen.set(key, ownMessageFingerprint(view, message));
  if (seen.size > STORED_OWN_MESSAGES_LIMIT) seen.delete(seen.keys().next().value!);
}

/**
 * A delivery of an own message (its echo, or a message_updated) that shows nothing this process
 * has not stored already: the echo's insert would do nothing (the row is there, so no event
 * either), an update's merge would write the same values.
 */
export function ownMessageUnchanged(
  db: object,
  view: WebhookConversation,
  message: Pick<
    MessageToStore,
    'messageId' | 'author' | 'externalError' | 'content' | 'contentAttributes' | 'attachments'
  >,
): boolean {
  if (message.author !== 'ai' || message.externalError !== null) return false;
  const stored = storedOwnMessages.get(db)?.get(`${view.accountId}:${message.messageId}`);
  return stored !== undefined && stored === ownMessageFingerprint(view, message);
}

const ownMessagesInFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Runs `work` for an own message after this process's deliveries of the same message already
 * under way: Chatwoot sends the echo and the status receipts of a reply within milliseconds of
 * each other, and the later ones can then see (ownMessageUnchanged) that the first stored it.
 * Other authors' deliveries run at once.
 */
export async function inOrderPerOwnMessage<T>(
  db: object,
  view: WebhookConversation,
  message: MessageToStore,
  work: () => Promise<T>,
): Promise<T> {
  if (message.author !== 'ai') return work();
  let inFlight = ownMessagesInFlight.get(db);
  if (!inFlight) ownMessagesInFlight.set(db, (inFlight = new Map()));
  const key = `${view.accountId}:${message.messageId}`;
  const before = inFlight.get(key);
  const mine = (before ? before.catch(() => undefined) : Promise.resolve()).then(work);
  inFlight.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key);
  }
}

const ownPostsInFlight = new WeakMap<object, Map<string, Set<Promise<unknown>>>>();

/**
 * Runs the reply sender's POST and mark-sent (`work`) as a post in flight of this conversation:
 * Chatwoot often sends the echo before its answer to the POST arrives, and the echo then waits
 * (afterOwnPostsOf) for the mark-sent that stores its row, instead of storing it itself.
 */
export async function trackOwnPost<T>(
  db: object,
  accountId: number,
  conversationId: number,
  work: () => Promise<T>,
): Promise<T> {
  let inFlight = ownPostsInFlight.get(db);
  if (!inFlight) ownPostsInFlight.set(db, (inFlight = new Map()));
  const key = `${accountId}:${conversationId}`;
  let posts = inFlight.get(key);
  if (!posts) inFlight.set(key, (posts = new Set()));
  const mine = work();
  posts.add(mine);
  try {
    return await mine;
  } finally {
    posts.delete(mine);
    if (posts.size === 0 && inFlight.get(key) === posts) inFlight.delete(key);
  }
}

/**
 * Waits for this process's posts in flight of the conversation (trackOwnPost), at most
 * `maxWaitMs` (the webhook must be answered within Chatwoot's 5 s): an own message's echo that
 * arrives first then finds its row stored and remembered. Without a post in flight (another
 * process posted it, or it is long done) it returns at once; a timeout only means a statement.
 */
export async function afterOwnPostsOf(
  db: object,
  accountId: number,
  conversationId: number,
  maxWaitMs: number,
): Promise<void> {
  const posts = ownPostsInFlight.get(db)?.get(`${accountId}:${conversationId}`);
  if (!posts || posts.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, maxWaitMs);
    timer.unref();
  });
  await Promise.race([Promise.allSettled([...posts]), timeout]);
  clearTimeout(timer);
}
