import type { AnalyticsEventInput } from './event-schema.js';

/** The fields every conversation event carries: who, where, which assistant. */
export type EventEnvelope = Pick<
  AnalyticsEventInput,
  'accountId' | 'conversationId' | 'inboxId' | 'assistant' | 'channel' | 'customerId' | 'customerPhone'
>;

/** What a producer knows about a conversation; agent-bot's conversation state satisfies it. */
export interface EnvelopeSource {
  accountId: number;
  conversationId: number;
  inboxId: number;
  assistant: string | null;
  channel: EventEnvelope['channel'];
  contact: { id: number | null; phone: string | null };
}

/**
 * The envelope of an event about a conversation. `conversationId` is Chatwoot's display_id:
 * agent-bot webhooks never show the internal id, and display_id is what the API and the
 * dashboards use.
 */
export function envelopeFor(conversation: EnvelopeSource): EventEnvelope {
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
