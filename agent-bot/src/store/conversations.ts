import sql from 'sql-template-tag';
import type { HandoffRequest } from '../responder/responder.js';
import { run, type Queryable } from './db.js';

/** The statements on `engine_conversations` outside the webhook and the lane queue. */

export type BotState = 'active' | 'handed_off' | 'human_replied';

/** The call back offered at an after-hours handoff (migration 0011); null: none was offered. */
export type CallbackOffer = 'offered' | 'asked_again' | 'answered';

export interface ConversationState {
  accountId: number;
  conversationId: number;
  inboxId: number;
  assistant: string;
  channel: 'whatsapp' | 'web' | 'api' | 'test';
  status: 'open' | 'resolved' | 'pending' | 'snoozed';
  contact: StoredContact;
  botState: BotState;
  handedOffAt: Date | null;
  pendingHandoff: PendingHandoff | null;
  callbackOffer: CallbackOffer | null;
  resumeToPending: boolean;
  lastCustomerMessageAt: Date | null;
  lastHumanMessageAt: Date | null;
  consecutiveFailures: number;
}

export interface StoredContact {
  id: number | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  attributes: Record<string, unknown>;
}

/**
 * A handoff decided but not yet carried out in Chatwoot (done by the lane, retried until it is).
 * `decidedAt` (ISO): when the turn decided it, the time of its analytics event, since the
 * conversation is the human's from then on, however long Chatwoot takes.
 */
export type PendingHandoff = HandoffRequest & {
  turnId: string | null;
  decidedAt?: string;
  /** The customer message (the turn's last reply part) offers a call back. */
  callbackOffered?: boolean;
};

export async function loadConversation(
  db: Queryable,
  accountId: number,
  conversationId: number,
): Promise<ConversationState | null> {
  const result = await run(
    db,
    sql`SELECT * FROM engine_conversations WHERE account_id = ${accountId} AND conversation_id = ${conversationId}`,
  );
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toConversationState(row) : null;
}

/** An `engine_conversations` row (SELECT * or RETURNING *) as the engine works with it. */
export function toConversationState(row: Record<string, unknown>): ConversationState {
  return {
    accountId: Number(row.account_id),
    conversationId: Number(row.conversation_id),
    inboxId: Number(row.inbox_id),
    assistant: String(row.assistant),
    channel: row.channel as ConversationState['channel'],
    status: row.status as ConversationState['status'],
    contact: row.contact as StoredContact,
    botState: row.bot_state as BotState,
    handedOffAt: row.handed_off_at ? new Date(row.handed_off_at as string) : null,
    pendingHandoff: (row.pending_handoff as PendingHandoff | null) ?? null,
    callbackOffer: (row.callback_offer as CallbackOffer | null) ?? null,
    resumeToPending: Boolean(row.resume_to_pending),
    lastCustomerMessageAt: row.last_customer_message_at
      ? new Date(row.last_customer_message_at as string)
      : null,
    lastHumanMessageAt: row.last_human_message_at ? new Date(row.last_human_message_at as string) : null,
    consecutiveFailures: Number(row.consecutive_failures),
  };
}

export interface ConversationKey {
  accountId: number;
  conversationId: number;
}

/** The bot takes the conversation back from a silent human (Chatwoot already shows it pending). */
export async function resumeBot(db: Queryable, key: ConversationKey): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_conversations SET bot_state = 'active', handed_off_at = NULL, handoff_reason = NULL,
               resume_to_pending = false, status = 'pending', callback_offer = NULL
         WHERE account_id = ${key.accountId} AND conversation_id = ${key.conversationId}`,
  );
}

/** One more responder failure in a row; returns how many there are now. */
export async function countResponderFailure(db: Queryable, key: ConversationKey): Promise<number> {
  const result = await run<{ consecutive_failures: number }>(
    db,
    sql`UPDATE engine_conversations SET consecutive_failures = consecutive_failures + 1
         WHERE account_id = ${key.accountId} AND conversation_id = ${key.conversationId}
         RETURNING consecutive_failures`,
  );
  return result.rows[0]?.consecutive_failures ?? 1;
}

/**
 * The handoff went through in Chatwoot (`opened`: the status moved from pending to open).
 * `callbackOfferedBy`: the turn whose last reply part offered a call back; the offer stands
 * only when Chatwoot accepted that part (a message that never went out offered nothing).
 */
export async function recordHandedOff(
  db: Queryable,
  key: ConversationKey,
  reason: string,
  opened: boolean,
  callbackOfferedBy: string | null = null,
): Promise<void> {
  const offered = callbackOfferedBy
    ? sql`CASE WHEN (SELECT o.state FROM engine_outgoing o WHERE o.turn_id = ${callbackOfferedBy}::uuid
                      ORDER BY o.part DESC LIMIT 1) = 'sent' THEN 'offered' END`
    : sql`NULL`;
  await run(
    db,
    sql`UPDATE engine_conversations
           SET bot_state = 'handed_off', handed_off_at = now(), handoff_reason = ${reason}, pending_handoff = NULL,
               status = CASE WHEN ${opened} THEN 'open' ELSE status END, resume_to_pending = false,
               callback_offer = ${offered}
         WHERE account_id = ${key.accountId} AND conversation_id = ${key.conversationId}`,
  );
}

/**
 * Moves the call-back offer on (`from` → `to`) unless it has moved already; true when it did.
 * The lane is the conversation's only writer, so this is the once-only guard of a retried turn.
 */
export async function advanceCallbackOffer(
  db: Queryable,
  key: ConversationKey,
  from: readonly CallbackOffer[],
  to: CallbackOffer,
): Promise<boolean> {
  const result = await run(
    db,
    sql`UPDATE engine_conversations SET callback_offer = ${to}
         WHERE account_id = ${key.accountId} AND conversation_id = ${key.conversationId}
           AND callback_offer = ANY(${[...from]}::text[])`,
  );
  return (result.rowCount ?? 0) > 0;
}

/** Owes a handoff unless one is owed already (the lane carries it out, retrying until it goes through). */
export async function oweHandoff(
  db: Queryable,
  key: ConversationKey,
  handoff: PendingHandoff,
): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_conversations SET pending_handoff = COALESCE(pending_handoff, ${JSON.stringify(handoff)}::jsonb)
         WHERE account_id = ${key.accountId} AND conversation_id = ${key.conversationId}`,
  );
}
