import { createHash } from 'node:crypto';
import type { AnalyticsEventInput } from '@switchboard/analytics';
import type { ConversationState } from '../transcript/conversation-store.js';

type Envelope = Pick<
  AnalyticsEventInput,
  'accountId' | 'conversationId' | 'inboxId' | 'assistant' | 'channel' | 'customerId' | 'customerPhone'
>;

/**
 * The envelope every engine event carries. `conversationId` is Chatwoot's display_id: agent-bot
 * webhooks never show the internal id, and display_id is what the API and the dashboard use.
 */
export function envelopeFor(
  conversation: Pick<
    ConversationState,
    'accountId' | 'conversationId' | 'inboxId' | 'assistant' | 'channel' | 'contact'
  >,
): Envelope {
  return {
    accountId: conversation.accountId,
    conversationId: conversation.conversationId,
    inboxId: conversation.inboxId,
    assistant: conversation.assistant,
    channel: conversation.channel,
    customerId: conversation.contact.id,
    customerPhone: conversation.contact.phone,
  };
}

/**
 * A stable event id from its natural key, so an event written again (a webhook retried, a turn
 * finished after a crash) is deduplicated by the outbox instead of counted twice.
 */
export function stableEventId(...parts: (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
