import type { SimulatorContext } from '../context.js';
import type { WebhookRecord } from '../recorder.js';
import { BOT_FAILURE_ACTIVITY, changeStatus } from './conversation-status.js';

/**
 * `Webhooks::Trigger#handle_error` for agent bots: after the last attempt of a message_created or
 * message_updated delivery, a `pending` conversation is opened with the activity message, unless the
 * account keeps pending conversations on bot failure. Conversation events never do this.
 */
export function handleAgentBotFailure(context: SimulatorContext, record: WebhookRecord): void {
  if (record.event !== 'message_created' && record.event !== 'message_updated') return;
  const message = context.store.messages.get(Number(record.payload.id));
  if (!message) return;
  const conversation = context.store.conversations.get(message.conversationId);
  const account = context.store.accounts.get(message.accountId);
  if (!conversation || !account || account.keepPendingOnBotFailure) return;
  if (conversation.status !== 'pending') return;
  changeStatus(context, conversation, 'open', { actor: { type: 'system' }, activity: BOT_FAILURE_ACTIVITY });
}
