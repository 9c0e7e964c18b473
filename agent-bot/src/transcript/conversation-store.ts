import type pg from 'pg';
import type { HandoffRequest } from '../assistant/responder.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

export type BotState = 'active' | 'handed_off' | 'human_replied';

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

/** A handoff decided but not yet carried out in Chatwoot (done by the lane, retried until it is). */
export type PendingHandoff = HandoffRequest & { turnId: string | null };

export async function loadConversation(
  db: Queryable,
  accountId: number,
  conversationId: number,
): Promise<ConversationState | null> {
  const result = await db.query(
    `SELECT * FROM engine_conversations WHERE account_id = $1 AND conversation_id = $2`,
    [accountId, conversationId],
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
    resumeToPending: Boolean(row.resume_to_pending),
    lastCustomerMessageAt: row.last_customer_message_at
      ? new Date(row.last_customer_message_at as string)
      : null,
    lastHumanMessageAt: row.last_human_message_at ? new Date(row.last_human_message_at as string) : null,
    consecutiveFailures: Number(row.consecutive_failures),
  };
}

/** One transaction: a state change and its analytics events commit together. */
export { inTransaction } from '@switchboard/core';
