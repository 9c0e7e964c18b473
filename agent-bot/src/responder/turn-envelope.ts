import { envelopeFor, type EventEnvelope } from '@switchboard/events';
import type { TurnContext } from './responder.js';

/** The envelope of an event a turn produces (the conversation as the turn shows it). */
export function turnEnvelope(
  turn: Pick<TurnContext, 'accountId' | 'conversationId' | 'inboxId' | 'assistant' | 'channel' | 'customer'>,
): EventEnvelope {
  return envelopeFor({
    accountId: turn.accountId,
    conversationId: turn.conversationId,
    inboxId: turn.inboxId,
    assistant: turn.assistant,
    channel: turn.channel,
    contact: { id: turn.customer.contactId, phone: turn.customer.phone },
  });
}
