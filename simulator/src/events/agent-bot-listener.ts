import type { SimulatorContext } from '../context.js';
import { conversationWebhookData } from '../presenters/conversation-presenter.js';
import { messageWebhookData } from '../presenters/message-presenter.js';
import { contactInboxWebhookData } from '../presenters/contact-inbox-presenter.js';
import type { AgentBotRecord, ConversationRecord, MessageRecord } from '../state/records.js';
import { activeInboxBot } from '../state/store.js';
import type { WebhookDelivery } from '../webhooks/webhook-delivery.js';
import type { SimulatorEvent } from './simulator-events.js';

/** `webhook_sendable?`: incoming, outgoing and template messages (private notes included), never activity. */
export function isWebhookSendable(message: MessageRecord): boolean {
  return message.messageType !== 'activity';
}

/** `agent_bots_for`: the conversation's assigned bot plus the inbox's active bot, without duplicates. */
export function agentBotsFor(context: SimulatorContext, conversation: ConversationRecord): AgentBotRecord[] {
  const bots: AgentBotRecord[] = [];
  if (conversation.assigneeAgentBotId !== null) {
    const assigned = context.store.agentBots.get(conversation.assigneeAgentBotId);
    if (assigned) bots.push(assigned);
  }
  const inboxBot = activeInboxBot(context.store, conversation.inboxId);
  if (inboxBot && !bots.includes(inboxBot)) bots.push(inboxBot);
  return bots;
}

/**
 * `AgentBotListener`: message events are message-shaped, conversation events conversation-shaped.
 * Status changes carry `changed_attributes: null` (Rails 7.1 `status_change` inside after_commit);
 * `conversation_updated` carries the real previous/current values. Conversation status is never checked.
 */
export function createAgentBotListener(context: SimulatorContext, delivery: WebhookDelivery) {
  const deliver = (conversation: ConversationRecord, payload: Record<string, unknown>): void => {
    for (const bot of agentBotsFor(context, conversation)) {
      delivery.enqueue({
        kind: 'agent_bot',
        targetId: bot.id,
        url: bot.outgoingUrl,
        secret: context.behaviour.signWebhooks ? bot.secret : null,
        payload,
      });
    }
  };
  return (event: SimulatorEvent): void => {
    const { store } = context;
    switch (event.name) {
      case 'message_created':
      case 'message_updated': {
        const message = store.messages.get(event.messageId);
        if (!message || !isWebhookSendable(message)) return;
        const conversation = store.conversations.get(message.conversationId);
        if (!conversation || agentBotsFor(context, conversation).length === 0) return;
        deliver(conversation, messageWebhookData(context, message, event.name));
        return;
      }
      case 'conversation_opened':
      case 'conversation_resolved': {
        const conversation = store.conversations.get(event.conversationId);
        if (!conversation) return;
        deliver(conversation, { ...conversationWebhookData(context, conversation), event: event.name });
        return;
      }
      case 'conversation_status_changed': {
        const conversation = store.conversations.get(event.conversationId);
        if (!conversation) return;
        deliver(conversation, {
          ...conversationWebhookData(context, conversation),
          event: event.name,
          changed_attributes: null,
        });
        return;
      }
      case 'conversation_updated': {
        const conversation = store.conversations.get(event.conversationId);
        if (!conversation) return;
        deliver(conversation, {
          ...conversationWebhookData(context, conversation),
          event: event.name,
          changed_attributes: event.changedAttributes,
        });
        return;
      }
      case 'webwidget_triggered': {
        // AgentBotListener#webwidget_triggered: only the inbox's active bot, never a conversation's.
        const contactInbox = store.contactInboxes.get(event.contactInboxId);
        const bot = contactInbox ? activeInboxBot(store, contactInbox.inboxId) : undefined;
        if (!contactInbox || !bot) return;
        delivery.enqueue({
          kind: 'agent_bot',
          targetId: bot.id,
          url: bot.outgoingUrl,
          secret: context.behaviour.signWebhooks ? bot.secret : null,
          payload: {
            ...contactInboxWebhookData(context, contactInbox),
            event: 'webwidget_triggered',
            event_info: event.eventInfo,
          },
        });
        return;
      }
      default:
        return;
    }
  };
}
